import { describe, expect, it } from 'vitest';
import { canonicalUrl, canonicalUrlVariants } from '../../src/feeds/canonical-url.js';
import type { FeedItem } from '../../src/feeds/feed-item.js';
import { normalizeStory, storyLookupKeys, SUMMARY_MAX_CHARS, UNTITLED } from '../../src/feeds/normalize-story.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { parseFeedDate } from '../../src/feeds/parse-date.js';
import { htmlToText, truncateAtWord } from '../../src/feeds/plain-text.js';

const now = new Date('2025-06-01T12:00:00Z');
const ctx = { feedId: 'feed-a', lang: 'en', now };
const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  guid: null,
  guidNotPermaLink: false,
  link: null,
  base: 'https://site.example.com/news/',
  title: { text: 'A title', markup: 'html' },
  summary: null,
  dates: [],
  author: null,
  lang: null,
  ...over,
});

describe('story ids', () => {
  it('a plain guid is namespaced by feed, so two feeds numbering items alike do not collide', () => {
    const a = normalizeStory(item({ guid: '1234' }), ctx);
    const b = normalizeStory(item({ guid: '1234' }), { ...ctx, feedId: 'feed-b' });
    expect(a.id).toBe('guid:feed-a:1234');
    expect(b.id).toBe('guid:feed-b:1234');
  });

  it('a URL guid and a link give the same id across feeds: the canonical URL', () => {
    const withGuid = normalizeStory(
      item({ guid: 'https://Site.Example.com/story?utm_source=x#top', link: 'https://site.example.com/story' }),
      ctx,
    );
    const withLinkOnly = normalizeStory(item({ link: 'https://site.example.com/story?fbclid=abc' }), {
      ...ctx,
      feedId: 'feed-b',
    });
    expect(withGuid.id).toBe('url:https://site.example.com/story');
    expect(withLinkOnly.id).toBe(withGuid.id);
  });

  it('an unusable guid falls back to the link', () => {
    const s = normalizeStory(item({ guid: 'dup', link: '/a' }), { ...ctx, unusableGuids: new Set(['dup']) });
    expect(s.id).toBe('url:https://site.example.com/a');
  });

  it('without guid or link: a hash of title, date and summary, per feed', () => {
    const a = normalizeStory(item({ dates: ['2025-05-01T00:00:00Z'] }), ctx);
    const again = normalizeStory(item({ dates: ['2025-05-01T00:00:00Z'] }), ctx);
    const otherDate = normalizeStory(item({ dates: ['2025-05-02T00:00:00Z'] }), ctx);
    const otherFeed = normalizeStory(item({ dates: ['2025-05-01T00:00:00Z'] }), { ...ctx, feedId: 'feed-b' });
    expect(a.id).toMatch(/^hash:feed-a:[0-9a-f]{32}$/);
    expect(again.id).toBe(a.id);
    expect(otherDate.id).not.toBe(a.id);
    expect(otherFeed.id).not.toBe(a.id);
  });

  it('a very long guid is hashed', () => {
    expect(normalizeStory(item({ guid: 'x'.repeat(1000) }), ctx).id).toMatch(/^guid:feed-a:sha256:[0-9a-f]{64}$/);
  });
});

describe('canonical URLs', () => {
  it('drops tracking parameters and the fragment, lower-cases the host, keeps the rest', () => {
    expect(
      canonicalUrl(
        'HTTPS://News.Example.COM:443/Path/Story?id=7&utm_source=tw&utm_medium=social&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&page=2#comments',
      ),
    ).toBe('https://news.example.com/Path/Story?id=7&page=2');
    expect(canonicalUrl('https://example.com/a?utm_campaign=x')).toBe('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?q=a%20b&_hsenc=x')).toBe('https://example.com/a?q=a%20b');
  });

  it('refuses what is not http(s)', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('mailto:a@example.com')).toBeNull();
    expect(canonicalUrl('/relative')).toBeNull();
  });

  it('gives the spellings a pasted link may be stored under: canonical, then the other trailing slash', () => {
    expect(canonicalUrlVariants('https://Example.com/a/b?utm_source=x#f')).toEqual([
      'https://example.com/a/b',
      'https://example.com/a/b/',
    ]);
    expect(canonicalUrlVariants('https://example.com/a/?id=1')).toEqual([
      'https://example.com/a/?id=1',
      'https://example.com/a?id=1',
    ]);
    expect(canonicalUrlVariants('https://EXAMPLE.com')).toEqual(['https://example.com/']);
    expect(canonicalUrlVariants('s1')).toEqual([]);
  });

  it('looks a story up by what was typed, then by its canonical URL and the id that URL gives', () => {
    expect(storyLookupKeys(' guid:wire:123 ')).toEqual(['guid:wire:123']);
    expect(storyLookupKeys('https://Example.com/a?utm_source=x')).toEqual([
      'https://Example.com/a?utm_source=x',
      'https://example.com/a',
      'url:https://example.com/a',
      'https://example.com/a/',
      'url:https://example.com/a/',
    ]);
    expect(storyLookupKeys('url:https://Example.com/a')).toContain('url:https://example.com/a');
  });
});

describe('URLs', () => {
  it('resolves relative links against the item base', () => {
    expect(normalizeStory(item({ link: '../2025/story.html' }), ctx).url).toBe(
      'https://site.example.com/2025/story.html',
    );
    expect(normalizeStory(item({ link: '//cdn.example.com/x' }), ctx).url).toBe('https://cdn.example.com/x');
  });

  it('drops links that are not http(s)', () => {
    expect(normalizeStory(item({ link: 'javascript:alert(1)' }), ctx).url).toBeNull();
    expect(normalizeStory(item({ link: 'ftp://files.example.com/a' }), ctx).url).toBeNull();
  });

  it('in a feed: item xml:base, else the feed link, else the document URL', async () => {
    const opts = { feedId: 'f', baseUrl: 'https://feeds.example.com/rss/main.xml', lang: 'en', now };
    const rss = await parseFeed(
      '<rss version="2.0"><channel><link>https://www.example.com/blog/</link><item><title>a</title><link>post/1</link></item><item xml:base="https://other.example.com/x/"><title>b</title><link>y</link></item></channel></rss>',
      opts,
    );
    expect(rss.stories.map((s) => s.url)).toEqual([
      'https://www.example.com/blog/post/1',
      'https://other.example.com/x/y',
    ]);
    const noLink = await parseFeed(
      '<rss version="2.0"><channel><item><title>c</title><link>/top</link></item></channel></rss>',
      opts,
    );
    expect(noLink.stories[0]!.url).toBe('https://feeds.example.com/top');
  });
});

describe('dates', () => {
  it('reads RFC 822, RFC 3339 and W3C-DTF, and zones Date does not know', () => {
    expect(parseFeedDate(['Tue, 20 May 2025 08:00:00 GMT'], now)).toBe('2025-05-20T08:00:00.000Z');
    expect(parseFeedDate(['2025-05-20T17:00:00+09:00'], now)).toBe('2025-05-20T08:00:00.000Z');
    expect(parseFeedDate(['2025-05-20'], now)).toBe('2025-05-20T00:00:00.000Z');
    expect(parseFeedDate(['Tue, 20 May 2025 17:00:00 JST'], now)).toBe('2025-05-20T08:00:00.000Z');
    expect(parseFeedDate(['Tue, 20 May 2025 10:00:00 CEST'], now)).toBe('2025-05-20T08:00:00.000Z');
    expect(parseFeedDate(['2025-05-20T08:00:00'], now)).toBe('2025-05-20T08:00:00.000Z');
  });

  it('missing or unreadable → null; the next candidate is tried', () => {
    expect(parseFeedDate([], now)).toBeNull();
    expect(parseFeedDate(['soon'], now)).toBeNull();
    expect(parseFeedDate(['3'], now)).toBeNull();
    expect(parseFeedDate(['garbage', '2025-05-01T00:00:00Z'], now)).toBe('2025-05-01T00:00:00.000Z');
  });

  it('more than a day in the future is untrusted → null; within a day is kept', () => {
    expect(parseFeedDate(['2025-06-03T12:00:00Z'], now)).toBeNull();
    expect(normalizeStory(item({ dates: ['2031-01-01T00:00:00Z'] }), ctx).published).toBeNull();
    expect(parseFeedDate(['2025-06-02T06:00:00Z'], now)).toBe('2025-06-02T06:00:00.000Z');
  });
});

describe('plain text', () => {
  it('titles and summaries lose their HTML, decode entities and fold whitespace', () => {
    const s = normalizeStory(
      item({
        title: { text: '  Breaking:&nbsp;<b>Big</b>\n\n news &amp;amp; more &#8230; ', markup: 'html' },
        summary: {
          text: '<p>First&nbsp;para.</p><script>alert("x")</script><style>p{}</style><!-- c --><p>Second &eacute;t&eacute;<br/>line</p>',
          markup: 'html',
        },
      }),
      ctx,
    );
    expect(s.title).toBe('Breaking: Big news &amp; more …');
    expect(s.summary).toBe('First para. Second été line');
  });

  it('text-typed content keeps its angle brackets', () => {
    const s = normalizeStory(item({ title: { text: 'Use <div> for layout', markup: 'text' } }), ctx);
    expect(s.title).toBe('Use <div> for layout');
  });

  it('caps the summary at a word boundary with an ellipsis', () => {
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const s = normalizeStory(item({ summary: { text: `<p>${long}</p>`, markup: 'html' } }), ctx);
    expect(s.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(s.summary.endsWith('…')).toBe(true);
    expect(s.summary).toMatch(/word\d+…$/);
    expect(truncateAtWord('short', 10)).toBe('short');
  });

  it('strips a tag cut in half at the end of a long body', () => {
    expect(htmlToText('text <a href="https://example.com/very')).toBe('text');
  });

  it('an untitled item borrows its summary, then its URL, then says so', () => {
    expect(
      normalizeStory(item({ title: null, summary: { text: 'Only a summary here', markup: 'text' } }), ctx),
    ).toMatchObject({ title: 'Only a summary here', summary: '' });
    expect(normalizeStory(item({ title: null, link: 'https://x.example.com/a' }), ctx).title).toBe(
      'https://x.example.com/a',
    );
    expect(normalizeStory(item({ title: null }), ctx).title).toBe(UNTITLED);
  });
});

describe('author and language', () => {
  it('RSS "email (Name)" authors become the name; languages are normalised, else the feed’s configured one', async () => {
    const r = await parseFeed(
      `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><language>ja_JP</language>
        <item><title>a</title><author>editor@example.com (Jane Doe)</author></item>
        <item><title>b</title><dc:creator>Taro</dc:creator><dc:language>en</dc:language></item></channel></rss>`,
      { feedId: 'f', baseUrl: 'https://example.com/feed', lang: 'de', now },
    );
    expect(r.stories.map((s) => [s.author, s.lang])).toEqual([
      ['Jane Doe', 'ja-JP'],
      ['Taro', 'en'],
    ]);
    const plain = await parseFeed('<rss version="2.0"><channel><item><title>c</title></item></channel></rss>', {
      feedId: 'f',
      baseUrl: 'https://example.com/feed',
      lang: 'de',
      now,
    });
    expect(plain.stories[0]!.lang).toBe('de');
  });
});
