import { asyncFromSync } from '../../src/store/async-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchService } from '../../src/bot/match-service.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestBot, type TestBot } from '../helpers/test-bot.js';
import { story } from '../store/story-factory.js';

/** /deal latest, search and why, read like a conversation over a real SQLite store filled by the matcher. */
describe('latest, search and why', () => {
  let store: Store;
  let bot: TestBot;
  const hour = (h: number) => new Date(Date.UTC(2025, 9, 28, h)).toISOString();

  beforeAll(async () => {
    store = openSyncStore(':memory:');
    bot = await createTestBot({ services: { store: asyncFromSync(store) } });
    const service = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => bot.files.briefs,
      getConfig: () => bot.files.loaded.config,
      now: () => new Date(hour(12)),
    });
    const feed = {
      ...bot.files.loaded.config.feeds.defaults,
      id: 'wire',
      url: 'https://example.com/f',
      language: 'en',
      include: [],
      exclude: ['horoscope'],
      enabled: true,
    };
    const incoming = [
      story({
        id: 's1',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo',
        url: 'https://www.reuters.com/world/s1',
        published: hour(3),
      }),
      story({
        id: 's2',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo - Nikkei Asia',
        url: 'https://asia.nikkei.com/s2',
        published: hour(4),
      }),
      story({
        id: 's3',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo | Kyodo News',
        url: 'https://english.kyodonews.net/s3',
        published: hour(5),
      }),
      story({
        id: 's4',
        title: 'Takaichi and Trump pledge to implement tariff deal in Tokyo summit',
        url: 'https://apnews.com/s4',
        published: hour(6),
      }),
      story({
        id: 's5',
        title: 'Dodgers win World Series in 18-inning classic',
        url: 'https://espn.com/s5',
        published: hour(7),
      }),
      story({
        id: 's6',
        title: 'Horoscope: rare earth signs will prosper',
        url: 'https://example.com/horoscope',
        published: hour(8),
      }),
    ];
    const kept: typeof incoming = [];
    for (const s of incoming) if ((await service.filter(s, feed)).keep) kept.push(s);
    store.stories.upsert(kept, { seenAt: hour(9) });
    await service.matchStories(kept.map((s) => s.id));
  });
  afterAll(async () => {
    await bot.close();
    store.close();
  });

  it('latest shows each event once with its outlet, age, link and who else covered it', async () => {
    const text = await bot.ask('/deal latest');
    expect(text).toContain('Takaichi and Trump pledge to implement tariff deal');
    expect(text.match(/sign deal on rare earths/g)).toHaveLength(1);
    expect(text).toMatch(/Reuters · \d+d ago · covered by 3 outlets: Nikkei Asia, Kyodo News/);
    expect(text).toContain('https://www.reuters.com/world/s1');
    expect(text).not.toContain('Dodgers');
  });

  it('latest n cuts the list, most important event first (as digests rank), and says how many more there are', async () => {
    const text = await bot.ask('/deal latest 1');
    // The signing, carried by three outlets, outranks the pledge one outlet carried.
    expect(text).toContain('sign deal on rare earths');
    expect(text).not.toContain('Takaichi and Trump pledge');
    expect(text).toMatch(/1 more/);
  });

  it('search finds stored stories (once per event) and the brief’s own entries', async () => {
    const text = await bot.ask('/deal search rare earths');
    expect(text).toContain('In the brief');
    expect(text).toContain('News');
    expect(text.match(/sign deal on rare earths/g)).toHaveLength(1);
    expect(await bot.ask('/deal search zzyzx')).toContain('Nothing found');
  });

  it('why explains a match, a miss and a filtered story, for admins only', async () => {
    const matched = await bot.ask('/deal why https://asia.nikkei.com/s2');
    expect(matched).toContain('feed "feed-a"');
    expect(matched).toMatch(/relevant \(score [0-9.]+/);
    expect(matched).toContain('brief: us-japan-rare-earths-2025');
    expect(matched).toContain('strong');
    expect(matched).toContain('one of 3 stories about the same event');
    expect(matched).toContain('not sent to any channel yet');

    const missed = await bot.ask('/deal why s5');
    expect(missed).toContain('not relevant');

    const filtered = await bot.ask('/deal why https://example.com/horoscope');
    expect(filtered).toContain('exclude filter "horoscope"');

    const reply = await bot.reply('/deal why s1', { platform: 'slack', user: { id: 'U_NOT_ADMIN' } });
    expect(reply.message.title).toContain('is for admins');
  });
});
