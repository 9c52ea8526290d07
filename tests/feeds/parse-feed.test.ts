import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse-feed.js';

const opts = {
  feedId: 'test',
  baseUrl: 'https://feeds.example.com/news/feed.xml',
  lang: 'en',
  now: new Date('2025-06-01T12:00:00Z'),
};
const parse = (xml: string) => parseFeed(xml, opts);

describe('parseFeed: formats', () => {
  it('RSS 0.91', async () => {
    const r =
      await parse(`<rss version="0.91"><channel><title>Old</title><link>https://old.example.com/</link><language>en-gb</language>
      <item><title>First</title><link>https://old.example.com/1</link><description>One</description></item></channel></rss>`);
    expect(r.errors).toEqual([]);
    expect(r.feedTitle).toBe('Old');
    expect(r.stories).toMatchObject([
      { title: 'First', url: 'https://old.example.com/1', summary: 'One', lang: 'en-GB', published: null },
    ]);
  });

  it('RSS 1.0 (RDF), with dc:date and items inside or beside the channel', async () => {
    const r =
      await parse(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://rdf.example.com/"><title>RDF</title><link>https://rdf.example.com/</link></channel>
      <item rdf:about="https://rdf.example.com/a"><title>A</title><link>https://rdf.example.com/a</link><dc:date>2025-05-01T10:00:00+09:00</dc:date><dc:creator>Sato</dc:creator></item>
    </rdf:RDF>`);
    expect(r.stories).toMatchObject([
      { id: 'url:https://rdf.example.com/a', title: 'A', published: '2025-05-01T01:00:00.000Z', author: 'Sato' },
    ]);
  });

  it('RSS 1.0 with the RSS namespace under a prefix', async () => {
    const r =
      await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/">
      <rss:channel><rss:title>Prefixed</rss:title></rss:channel>
      <rss:item rdf:about="https://p.example.com/1"><rss:title>Prefixed item</rss:title><rss:link>https://p.example.com/1</rss:link></rss:item></rdf:RDF>`);
    expect(r.feedTitle).toBe('Prefixed');
    expect(r.stories.map((s) => s.title)).toEqual(['Prefixed item']);
  });

  it('RSS 2.0 with content:encoded, guid and pubDate', async () => {
    const r =
      await parse(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Two</title><link>https://two.example.com/</link>
      <item><title>Hello</title><link>https://two.example.com/hello?utm_source=rss</link><guid isPermaLink="false">post-1</guid>
      <pubDate>Tue, 20 May 2025 08:00:00 GMT</pubDate><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded></item></channel></rss>`);
    expect(r.stories).toEqual([
      {
        id: 'guid:test:post-1',
        feedId: 'test',
        title: 'Hello',
        summary: 'Full text',
        url: 'https://two.example.com/hello',
        published: '2025-05-20T08:00:00.000Z',
        author: null,
        lang: 'en',
      },
    ]);
  });

  it('Atom 1.0 with xml:base, html summaries and alternate links', async () => {
    const r =
      await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.com/blog/" xml:lang="fr"><title type="html">Le &lt;b&gt;blog&lt;/b&gt;</title>
      <entry><id>tag:atom.example.com,2025:1</id><title>Entrée</title><link rel="self" href="/api/1"/><link href="posts/1"/>
      <updated>2025-05-02T00:00:00Z</updated><published>2025-05-01T00:00:00Z</published><summary type="html">&lt;p&gt;Un &amp;amp; deux&lt;/p&gt;</summary>
      <author><name>Marie</name></author></entry></feed>`);
    expect(r.feedTitle).toBe('Le blog');
    expect(r.stories).toMatchObject([
      {
        id: 'guid:test:tag:atom.example.com,2025:1',
        title: 'Entrée',
        url: 'https://atom.example.com/blog/posts/1',
        summary: 'Un & deux',
        published: '2025-05-01T00:00:00.000Z',
        author: 'Marie',
        lang: 'fr',
      },
    ]);
  });

  it('Atom 0.3 with issued/modified and escaped content', async () => {
    const r =
      await parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title><link rel="alternate" type="text/html" href="https://a03.example.com/"/>
      <entry><title>Zero three</title><link rel="alternate" type="text/html" href="https://a03.example.com/1"/><id>https://a03.example.com/1</id>
      <issued>2004-01-01T10:00:00Z</issued><modified>2004-01-02T10:00:00Z</modified>
      <content type="text/html" mode="escaped">&lt;i&gt;Escaped&lt;/i&gt; body</content></entry></feed>`);
    expect(r.stories).toMatchObject([
      {
        id: 'url:https://a03.example.com/1',
        title: 'Zero three',
        summary: 'Escaped body',
        published: '2004-01-01T10:00:00.000Z',
      },
    ]);
  });

  it('RSS 1.1', async () => {
    const r =
      await parse(`<Channel xmlns="http://purl.org/net/rss1.1#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="https://x.example.com/rss">
      <title>Eleven</title><link>https://x.example.com/</link><description>d</description>
      <items rdf:parseType="Collection"><item rdf:about="https://x.example.com/1"><title>One</title><link>https://x.example.com/1</link></item></items></Channel>`);
    expect(r.stories.map((s) => s.title)).toEqual(['One']);
  });
});

describe('parseFeed: what makes bare rss-parser fail', () => {
  it('an unreadable Atom date loses neither the item nor the feed ("Invalid time value")', async () => {
    const r = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>1</id><title>Bad date</title><published>last Tuesday-ish</published><link href="https://d.example.com/1"/></entry>
      <entry><id>2</id><title>Good date</title><published>2025-01-01T00:00:00Z</published><link href="https://d.example.com/2"/></entry></feed>`);
    expect(r.errors).toEqual([]);
    expect(r.stories.map((s) => [s.title, s.published])).toEqual([
      ['Bad date', null],
      ['Good date', '2025-01-01T00:00:00.000Z'],
    ]);
  });

  it('<rss> without a version ("Feed not recognized as RSS 1 or 2")', async () => {
    const r = await parse('<rss><channel><title>t</title><item><title>No version</title></item></channel></rss>');
    expect(r.stories.map((s) => s.title)).toEqual(['No version']);
  });

  it('structured (xhtml) titles ("Cannot convert object to primitive value")', async () => {
    const r = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>x</id>
      <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Rich <b>title</b></div></title></entry></feed>`);
    expect(r.stories[0]!.title).toBe('Rich title');
  });

  it('junk before the first tag ("Non-whitespace before first tag")', async () => {
    const r = await parse(
      '\ufeffPHP Warning: something\n<?xml version="1.0"?><rss version="2.0"><channel><item><title>After junk</title></item></channel></rss>',
    );
    expect(r.stories.map((s) => s.title)).toEqual(['After junk']);
  });

  it('HTML entities without a DTD and a bare ampersand ("Invalid character entity")', async () => {
    const r = await parse(
      '<rss version="2.0"><channel><item><title>Caf&eacute;&nbsp;&hellip; AT&T &amp; R&D &bogus;</title></item></channel></rss>',
    );
    expect(r.errors).toEqual([]);
    expect(r.stories[0]!.title).toBe('Café … AT&T & R&D &bogus;');
  });

  it('a DTD-declared entity is not expanded, and an external one is not read', async () => {
    const r =
      await parse(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY company "ACME Corp"><!ENTITY file SYSTEM "file:///etc/hostname">]>
      <rss version="2.0"><channel><item><title>&company; news &file;</title></item></channel></rss>`);
    expect(r.stories[0]!.title).toBe('&company; news &file;');
  });

  it('keeps the good items of a malformed feed and says what was lost', async () => {
    const r = await parse(`<rss version="2.0"><channel><title>Broken</title><link>https://b.example.com/</link>
      <item><title>Good one</title><link>/1</link></item>
      <item><title>Bad <one</title><link>/2</link></item>
      <item><title>Good two</title><link>/3</link></item>
    </channel>`);
    expect(r.feedTitle).toBe('Broken');
    expect(r.stories.map((s) => [s.title, s.url])).toEqual([
      ['Good one', 'https://b.example.com/1'],
      ['Good two', 'https://b.example.com/3'],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/not well-formed XML .*kept 2 of 3 items \(1 could not be read\)/);
  });

  it('a truncated download keeps the complete items', async () => {
    const full =
      '<rss version="2.0"><channel><item><title>A</title></item><item><title>B</title></item><item><title>C, cut off';
    const r = await parse(full);
    expect(r.stories.map((s) => s.title).slice(0, 2)).toEqual(['A', 'B']);
  });

  it('not a feed: a clear error naming the root element', async () => {
    const r = await parse('<?xml version="1.0"?><catalog><book>XML</book></catalog>');
    expect(r.stories).toEqual([]);
    expect(r.errors).toEqual([
      "not an RSS or Atom feed (the document's root element is <catalog>); no items could be recovered",
    ]);
  });

  it('not XML at all, and empty', async () => {
    expect((await parse('{"version": "https://jsonfeed.org/version/1"}')).errors[0]).toMatch(/^not (XML|well-formed)/);
    expect((await parse('   ')).errors).toEqual(['the document is empty']);
  });

  it('a guid shared by every item is not used as the id', async () => {
    const r = await parse(`<rss version="2.0"><channel><link>https://s.example.com/</link>
      <item><title>A</title><guid>same</guid><link>https://s.example.com/a</link></item>
      <item><title>B</title><guid>same</guid><link>https://s.example.com/b</link></item></channel></rss>`);
    expect(r.stories.map((s) => s.id)).toEqual(['url:https://s.example.com/a', 'url:https://s.example.com/b']);
  });
});

describe('parseFeed: character references', () => {
  it('drops references to characters XML forbids, even in the usual numeric ranges', async () => {
    const r = await parse(
      '<rss version="2.0"><channel><item><title>Emoji &#55357;&#56832; half, nul &#0; and &#x1B; esc, ok &#8217; &#x2019;</title></item></channel></rss>',
    );
    expect(r.errors).toEqual([]);
    expect(r.stories[0]!.title).toBe('Emoji half, nul and esc, ok ’ ’');
  });
});

describe('rss-parser internals the tolerant parser relies on', () => {
  it('still exist (a failure here means an rss-parser upgrade changed them: see tolerant-parser.ts)', async () => {
    const { default: Parser } = await import('rss-parser');
    const proto = Parser.prototype as unknown as Record<string, unknown>;
    for (const method of ['parseItemAtom', 'parseItemRss', 'buildAtomFeed', 'buildRSS0_9', 'buildRSS1', 'buildRSS2']) {
      expect(typeof proto[method], method).toBe('function');
    }
    const instance = new Parser() as unknown as { xmlParser?: { parseString?: unknown } };
    expect(typeof instance.xmlParser?.parseString).toBe('function');
  });
});
