import { describe, expect, it } from 'vitest';
import { clusterStories, titleSimilarity } from '../../src/events/cluster.js';
import { outletOf, splitOutletSuffix } from '../../src/events/outlet.js';

describe('splitOutletSuffix', () => {
  it('strips " - Outlet" and " | Outlet" suffixes, in English and Japanese', () => {
    expect(splitOutletSuffix('Japan, US sign rare earths deal - Reuters')).toEqual({
      core: 'Japan, US sign rare earths deal',
      outlet: 'Reuters',
    });
    expect(splitOutletSuffix('Japan, US sign rare earths deal | Nikkei Asia').outlet).toBe('Nikkei Asia');
    expect(splitOutletSuffix('日米が重要鉱物で枠組み合意｜日本経済新聞').outlet).toBe('日本経済新聞');
  });

  it('keeps the headline as written for display (dashes, case)', () => {
    expect(splitOutletSuffix('Trump–Takaichi pact: “U.S.” firms react - AP').core).toBe(
      'Trump–Takaichi pact: “U.S.” firms react',
    );
  });

  it('keeps a long tail or a short head: they are part of the headline', () => {
    expect(
      splitOutletSuffix('Trump says: we will cut every tariff on cars made in Japan by next year').outlet,
    ).toBeNull();
    expect(splitOutletSuffix('Get Ready - Rare Earth').outlet).toBeNull();
  });

  it('only guesses from the title: it does not decide a story’s outlet', () => {
    const title = 'Trump lands in Tokyo with trade on his mind — message to Xi?';
    expect(splitOutletSuffix(title).outlet).toBe('message to Xi?');
    expect(outletOf({ title, url: 'https://www.reuters.com/world/x' })).toBe('Reuters');
  });
});

describe('outletOf', () => {
  it('names the outlet from the link, then the feed, never from the title of an outlet’s own item', () => {
    expect(outletOf({ title: 'A story about things - CNN', url: 'https://edition.cnn.com/x' })).toBe('CNN');
    expect(outletOf({ title: 'A story about things - CNN', url: 'https://www.reuters.com/x' })).toBe('Reuters');
    expect(outletOf({ title: 'A story about things - CNN', feedId: 'nhk' })).toBe('nhk');
    expect(outletOf({ title: 'A story', url: 'https://timeslive.co.za/a' })).toBe('timeslive.co.za');
  });

  it('reads the title suffix of an aggregator’s item', () => {
    expect(outletOf({ title: 'A story about things - CNN', url: 'https://news.google.com/rss/articles/x' })).toBe(
      'CNN',
    );
  });
});

describe('clusterStories', () => {
  // Real syndicated copies and rewrites from the shared dev set.
  const suzuki = [
    {
      id: 'r127',
      title: 'Suzuki Halts Swift Production Due to China’s Rare Earth Export Restrictions',
      url: 'https://timeslive.co.za/a',
      published: '2025-06-05T10:00:00Z',
    },
    {
      id: 'r128',
      title: "Suzuki halts Swift production due to China's rare earth curbs",
      url: 'https://www.reuters.com/b',
      published: '2025-06-05T08:00:00Z',
    },
    {
      id: 'r130',
      title: 'Suzuki halts Swift production due to Chinese restrictions on rare earth metals',
      url: 'https://gagadget.com/c',
      published: '2025-06-05T12:00:00Z',
    },
    {
      id: 'r131',
      title: 'Suzuki Motor halted Swift car production due to China’s rare earth curb, Nikkei says',
      url: 'https://brecorder.com/d',
      published: '2025-06-05T09:00:00Z',
    },
  ];

  it('puts rewrites and copies of one event in one cluster led by the earliest', () => {
    const clusters = clusterStories(suzuki, { similarity: 0.6 });
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.first.id).toBe('r128');
    expect(clusters[0]!.alsoCoveredBy.sort()).toEqual(['brecorder.com', 'gagadget.com', 'timeslive.co.za']);
  });

  it('keeps different events apart', () => {
    const stories = [
      ...suzuki.slice(0, 1),
      { id: 'x', title: 'China bans rare earth exports to Japan for military use', published: '2025-06-05T10:00:00Z' },
      { id: 'y', title: 'Magnitude 7.6 earthquake strikes Japan', published: '2025-06-05T10:00:00Z' },
    ];
    expect(clusterStories(stories, { similarity: 0.6 })).toHaveLength(3);
  });

  it('does not join lookalike titles far apart in time', () => {
    const stories = [
      { id: 'a', title: 'China tightens rare earth export controls', published: '2023-12-21T00:00:00Z' },
      { id: 'b', title: 'China tightens rare earth export controls', published: '2025-10-09T00:00:00Z' },
    ];
    expect(clusterStories(stories, { similarity: 0.6, windowMs: 3 * 86_400_000 })).toHaveLength(2);
    expect(clusterStories(stories, { similarity: 0.6, windowMs: 10 * 365 * 86_400_000 })).toHaveLength(1);
  });

  it('counts the same outlet once and not at all when it is the lead', () => {
    const stories = [
      {
        id: 'a',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo',
        feedId: 'Reuters',
        published: '2025-10-28T01:00:00Z',
      },
      {
        id: 'b',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo - Reuters',
        url: 'https://news.google.com/rss/articles/b',
        published: '2025-10-28T02:00:00Z',
      },
      {
        id: 'c',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo | Nikkei Asia',
        url: 'https://asia.nikkei.com/c',
        published: '2025-10-28T03:00:00Z',
      },
      {
        id: 'd',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo - Nikkei Asia',
        url: 'https://news.google.com/rss/articles/d',
        published: '2025-10-28T04:00:00Z',
      },
    ];
    const [c] = clusterStories(stories, { similarity: 0.6 });
    expect(c!.members).toHaveLength(4);
    expect(c!.alsoCoveredBy).toEqual(['Nikkei Asia']);
  });

  it('compares Japanese titles by character pairs', () => {
    expect(titleSimilarity('日本製鉄、USスチールの買収完了', '日本製鉄、USスチールの買収が完了')).toBeGreaterThan(0.6);
    expect(titleSimilarity('日本製鉄、USスチールの買収完了', '岩手県で震度5強 津波の心配なし')).toBeLessThan(0.1);
  });
});
