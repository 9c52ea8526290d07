import { describe, expect, it } from 'vitest';
import { eventItem, eventMeta, groupEvents, newsEvent, type EventMember } from '../../src/events/news-event.js';
import type { StoredStory } from '../../src/store/story.js';

const NOW = new Date('2025-10-28T12:00:00.000Z');
const GOOGLE_NEWS = 'https://news.google.com/rss/articles/CBMi9rL71weDBaxmR-21SnsoVB6JIbgnKWW7j2X?oc=5';

function member(
  id: string,
  over: Partial<StoredStory> & { score?: number; outlets?: string[] } = {},
): EventMember & { story: StoredStory } {
  const { score = 0.8, outlets, ...story } = over;
  const published = story.published ?? '2025-10-28T09:00:00.000Z';
  return {
    score,
    ...(outlets ? { outlets } : {}),
    story: {
      id,
      feedId: 'feed-a',
      title: `Japan and the US sign a rare earths framework in Tokyo (${id})`,
      summary: '',
      url: `https://news.example/${id}`,
      author: null,
      lang: 'en',
      firstSeen: published,
      backlog: false,
      feedIds: ['feed-a'],
      ...story,
      published,
    },
  };
}

describe('the lead of an event', () => {
  it('is the outlet’s own item rather than an aggregator’s copy of it, even a more relevant one', () => {
    const viaGoogle = member('g', {
      title: 'Japan, US sign rare earths deal as Trump visits Tokyo - Reuters',
      url: GOOGLE_NEWS,
      feedId: 'gnews-rare-earths',
      score: 0.95,
      published: '2025-10-28T08:00:00.000Z',
    });
    const own = member('r', {
      title: 'Japan, US sign rare earths deal as Trump visits Tokyo',
      url: 'https://www.reuters.com/world/asia-pacific/japan-us-sign-2025-10-28/',
      score: 0.9,
    });
    const event = newsEvent('k', [viaGoogle, own]);
    expect(event.lead.story.id).toBe('r');
    expect(event.outlets).toEqual(['Reuters']);
    expect(eventItem(event, NOW)).toEqual({
      text: 'Japan, US sign rare earths deal as Trump visits Tokyo',
      url: 'https://www.reuters.com/world/asia-pacific/japan-us-sign-2025-10-28/',
      meta: 'Reuters · 3h ago',
    });
  });

  it('is an aggregator’s item, shown without its suffix, when no outlet’s own item is in the event', () => {
    const event = newsEvent('k', [
      member('g', { title: 'Japan, US sign rare earths deal - Reuters', url: GOOGLE_NEWS, feedId: 'gnews' }),
      member('n', {
        title: '日米、重要鉱物で枠組み合意 - 日本経済新聞',
        url: GOOGLE_NEWS.replace('CBMi', 'CBMj'),
        score: 0.7,
      }),
    ]);
    expect(eventItem(event, NOW)).toEqual({
      text: 'Japan, US sign rare earths deal',
      url: GOOGLE_NEWS,
      meta: 'Reuters · 3h ago · also covered by Nikkei',
    });
  });

  it('then the most relevant, the more informative, the earliest, and the id', () => {
    const lead = (...members: EventMember[]) => newsEvent('k', members).lead.story.id;
    expect(lead(member('a', { score: 0.7 }), member('b', { score: 0.9 }))).toBe('b');
    expect(lead(member('a'), member('b', { summary: 'Tokyo and Washington signed a framework.' }))).toBe('b');
    expect(
      lead(
        member('a', { title: 'Rare earths deal signed' }),
        member('b', { title: 'Japan, US sign rare earths deal' }),
      ),
    ).toBe('b');
    // A suffix naming the outlet does not make a headline longer.
    expect(
      lead(
        member('a', { title: 'Japan, US sign rare earths deal - Nikkei Asia', url: 'https://asia.nikkei.com/a' }),
        member('b', { title: 'Japan and US sign rare earths deal', url: 'https://www.reuters.com/b' }),
      ),
    ).toBe('b');
    expect(
      lead(
        member('a', { title: 'Same title', published: '2025-10-28T10:00:00.000Z' }),
        member('b', { title: 'Same title', published: '2025-10-28T09:00:00.000Z' }),
      ),
    ).toBe('b');
    expect(lead(member('b', { title: 'Same title' }), member('a', { title: 'Same title' }))).toBe('a');
  });
});

describe('eventItem', () => {
  it('shows the headline as written when its ending is not an outlet’s name', () => {
    const event = newsEvent('k', [
      member('r', {
        title: 'Trump lands in Tokyo with trade on his mind — message to Xi?',
        url: 'https://www.reuters.com/world/x',
      }),
    ]);
    expect(eventItem(event, NOW)).toEqual({
      text: 'Trump lands in Tokyo with trade on his mind — message to Xi?',
      url: 'https://www.reuters.com/world/x',
      meta: 'Reuters · 3h ago',
    });
  });

  it('drops a suffix naming the outlet, in Japanese too', () => {
    const event = newsEvent('k', [
      member('n', {
        title: '日米が重要鉱物で枠組み合意｜日本経済新聞',
        url: 'https://www.nikkei.com/article/DGXZQOUA',
      }),
    ]);
    expect(eventItem(event, NOW)).toMatchObject({ text: '日米が重要鉱物で枠組み合意', meta: 'Nikkei · 3h ago' });
  });

  it('names an unknown host by its domain and a story without a link by its feed', () => {
    const unknown = newsEvent('k', [
      member('u', { title: 'Rare earths deal - Reuters', url: 'https://www.metals.example.co.uk/u' }),
    ]);
    expect(eventItem(unknown, NOW)).toEqual({
      text: 'Rare earths deal - Reuters',
      url: 'https://www.metals.example.co.uk/u',
      meta: 'example.co.uk · 3h ago',
    });
    const noLink = newsEvent('k', [
      member('f', { title: 'Rare earths deal - Reuters', url: null, feedId: 'nhk-world' }),
    ]);
    expect(eventItem(noLink, NOW)).toEqual({ text: 'Rare earths deal - Reuters', meta: 'nhk-world · 3h ago' });
  });
});

describe('eventMeta', () => {
  const urls: Record<string, string> = {
    reuters: 'https://www.reuters.com/x',
    bbc: 'https://www.bbc.com/news/x',
    nikkei: 'https://asia.nikkei.com/x',
    ap: 'https://apnews.com/x',
  };

  it('names the one other outlet', () => {
    const event = newsEvent('k', [
      member('r', { url: urls.reuters, score: 0.9 }),
      member('b', { url: urls.bbc }),
      member('r2', { url: 'https://jp.reuters.com/y' }),
    ]);
    expect(eventMeta(event, NOW)).toBe('Reuters · 3h ago · also covered by BBC');
  });

  it('counts every outlet and names the others once each, in member order, lead’s outlet excluded', () => {
    const event = newsEvent('k', [
      member('r', { url: urls.reuters, score: 0.9 }),
      member('b', { url: urls.bbc, score: 0.85 }),
      member('n', { url: urls.nikkei, score: 0.8 }),
      member('a', { url: urls.ap, score: 0.75 }),
      member('b2', { url: 'https://feeds.bbci.co.uk/news/y', score: 0.7 }),
      member('g', { title: 'Japan signs a deal - REUTERS', url: GOOGLE_NEWS, score: 0.99 }),
    ]);
    expect(event.outlets).toEqual(['Reuters', 'BBC', 'Nikkei Asia', 'AP']);
    expect(eventMeta(event, NOW)).toBe('Reuters · 3h ago · covered by 4 outlets: BBC, Nikkei Asia, AP');
  });

  it('uses the outlets given with each member', () => {
    const event = newsEvent('k', [
      member('lead', { outlets: ['Reuters'], score: 0.9 }),
      member('echo1', { outlets: ['AP'], score: 0.7 }),
      member('echo2', { outlets: ['NHK', 'ap'], score: 0.6 }),
    ]);
    expect(eventMeta(event, NOW)).toBe('Reuters · 3h ago · covered by 3 outlets: AP, NHK');
  });

  it('cuts a long list of names with "…"', () => {
    const names = Array.from({ length: 30 }, (_, i) => `Outlet number ${i + 1}`);
    const event = newsEvent(
      'k',
      names.map((name, i) => member(`m${i}`, { outlets: [name], score: 1 - i / 100 })),
    );
    const meta = eventMeta(event, NOW);
    expect(
      meta.startsWith('Outlet number 1 · 3h ago · covered by 30 outlets: Outlet number 2, Outlet number 3, '),
    ).toBe(true);
    expect(meta.endsWith(', …')).toBe(true);
    const list = meta.slice(meta.indexOf(': ') + 2, -', …'.length);
    expect(list.length).toBeLessThanOrEqual(100);
    expect(list.length).toBeGreaterThan(80);
  });

  it('says nothing about coverage when one outlet carried the event', () => {
    const event = newsEvent('k', [member('r', { url: urls.reuters }), member('r2', { url: 'https://reuters.com/z' })]);
    expect(eventMeta(event, NOW)).toBe('Reuters · 3h ago');
  });
});

describe('groupEvents', () => {
  it('groups members by key in order of first appearance, each led by its own rule', () => {
    const events = groupEvents(
      [
        member('g', { title: 'A deal - Reuters', url: GOOGLE_NEWS, score: 0.99 }),
        member('x', { url: 'https://www.bbc.com/x' }),
        member('r', { url: 'https://www.reuters.com/r', score: 0.5 }),
      ],
      (m) => (m.story.id === 'x' ? 'other' : 'deal'),
    );
    expect(events.map((e) => [e.key, e.lead.story.id])).toEqual([
      ['deal', 'r'],
      ['other', 'x'],
    ]);
  });
});
