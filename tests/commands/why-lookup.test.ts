import { asyncFromSync } from '../../src/store/async-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchService } from '../../src/bot/match-service.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestBot, type TestBot } from '../helpers/test-bot.js';
import { shippedConfig } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

// Links as feeds give them: tracking parameters, a fragment, a host in capitals, a trailing slash.
const FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><title>Japan and US sign rare earths framework in Tokyo</title>
  <link>https://Wire.Example/2025/10/28/rare-earths-pact/?utm_source=rss&amp;utm_medium=feed#top</link>
  <pubDate>Tue, 28 Oct 2025 03:00:00 GMT</pubDate></item>
<item><title>Your horoscope for the week</title>
  <link>https://wire.example/life/horoscope?id=7&amp;utm_campaign=daily</link>
  <pubDate>Tue, 28 Oct 2025 04:00:00 GMT</pubDate></item>
</channel></rss>`;

const PACT = 'Japan and US sign rare earths framework in Tokyo';

describe('why finds a story by its link however the link is spelled', () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-why-link-')), 'bot.db');
  let store: Store;
  let bot: TestBot;

  beforeAll(async () => {
    store = openSyncStore(db);
    bot = await createTestBot({ services: { store: asyncFromSync(store) } });
    const service = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => bot.files.briefs,
      getConfig: () => bot.files.loaded.config,
      now: () => new Date('2025-10-28T12:00:00.000Z'),
    });
    const feed = {
      ...bot.files.loaded.config.feeds.defaults,
      id: 'wire',
      url: 'https://wire.example/rss',
      language: 'en',
      include: [],
      exclude: ['horoscope'],
      enabled: true,
    };
    const parsed = await parseFeed(FEED, {
      feedId: 'wire',
      baseUrl: 'https://wire.example/rss',
      lang: 'en',
      now: new Date('2025-10-28T12:00:00.000Z'),
    });
    expect(parsed.stories).toHaveLength(2);
    const kept: typeof parsed.stories = [];
    for (const s of parsed.stories) if ((await service.filter(s, feed)).keep) kept.push(s);
    expect(kept).toHaveLength(1);
    store.stories.upsert(kept, { seenAt: '2025-10-28T12:00:00.000Z' });
    await service.matchStories(kept.map((s) => s.id));
  });
  afterAll(async () => {
    await bot.close();
    store.close();
  });

  it.each([
    ['as the feed gives it', 'https://Wire.Example/2025/10/28/rare-earths-pact/?utm_source=rss&utm_medium=feed#top'],
    ['with other tracking parameters', 'https://wire.example/2025/10/28/rare-earths-pact/?utm_campaign=x&fbclid=abc'],
    ['with a fragment', 'https://wire.example/2025/10/28/rare-earths-pact/#comments'],
    ['with the host in capitals', 'HTTPS://WIRE.EXAMPLE/2025/10/28/rare-earths-pact/'],
    ['without the trailing slash', 'https://wire.example/2025/10/28/rare-earths-pact'],
    ['in angle brackets, as chat apps wrap links', '<https://wire.example/2025/10/28/rare-earths-pact?utm_source=x>'],
    ['as a labelled Slack link', '<https://wire.example/2025/10/28/rare-earths-pact/|rare earths pact>'],
  ])('/deal why finds the stored story from its link %s', async (_how, link) => {
    const text = await bot.ask(`/deal why ${link}`);
    expect(text).toContain(`Why: ${PACT}`);
    expect(text).toContain('feed "wire"');
  });

  it('/deal why finds a filtered story from its link with tracking parameters', async () => {
    const text = await bot.ask('/deal why https://WIRE.example/life/horoscope?utm_source=tw&id=7#x');
    expect(text).toContain('Why: Your horoscope for the week');
    expect(text).toContain('exclude filter "horoscope"');
  });

  it('keeps path case and other parameters: a different page is not found, and the answer names the form looked up', async () => {
    const text = await bot.ask('/deal why https://wire.example/2025/10/28/Rare-Earths-Pact/?utm_source=rss');
    expect(text).toContain('Why: story not found');
    expect(text).toContain('nor as "https://wire.example/2025/10/28/Rare-Earths-Pact/"');
    expect(await bot.ask('/deal why https://wire.example/life/horoscope?id=8')).toContain('story not found');
  });

  it('dealbot why finds it from the command line too', async () => {
    const { code, stdout } = await runCli(
      ['why', '--config', shippedConfig, 'https://WIRE.example/2025/10/28/rare-earths-pact?utm_source=newsletter#x'],
      { env: { DEALBOT_DB: db } },
    );
    expect(stdout).toContain(`Why: ${PACT}`);
    expect(code).toBe(0);
  });
});

describe('why tells a story found relevant through its event', () => {
  let store: Store;
  let bot: TestBot;

  beforeAll(async () => {
    store = openSyncStore(':memory:');
    bot = await createTestBot({ services: { store: asyncFromSync(store) } });
    let now = new Date('2025-10-29T05:00:00.000Z');
    const service = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => bot.files.briefs,
      getConfig: () => bot.files.loaded.config,
      now: () => now,
    });
    const story = (id: string, title: string, published: string) => ({
      id: `url:https://wire.example/${id}`,
      feedId: 'wire',
      title,
      summary: '',
      url: `https://wire.example/${id}`,
      published,
      author: null,
      lang: 'en',
    });
    const first = [
      story('t1', "Toyota says Trump's $10 billion US investment figure is not new", '2025-10-29T04:00:00.000Z'),
      story('t2', 'Toyota: $10bn US investment Trump touted is not new', '2025-10-29T04:30:00.000Z'),
    ];
    store.stories.upsert(first, { seenAt: now.toISOString() });
    await service.matchStories(first.map((s) => s.id));
    now = new Date('2025-10-29T06:00:00.000Z');
    // Names Toyota and Trump (who the brief is about) but no trade word: not on topic by itself.
    const near = [story('t3', 'Toyota says the $10 billion Trump cited is not new', '2025-10-29T05:30:00.000Z')];
    store.stories.upsert(near, { seenAt: now.toISOString() });
    await service.matchStories(near.map((s) => s.id));
  });
  afterAll(async () => {
    await bot.close();
    store.close();
  });

  it('says the event made it relevant, and does not call that a change of the briefs or config', async () => {
    expect(store.matches.get('url:https://wire.example/t3')).toMatchObject({ relevant: true });
    const text = await bot.ask('/deal why https://wire.example/t3');
    expect(text).toContain(
      'relevant through its event: it reports the happening of the event of url:https://wire.example/t1',
    );
    expect(text).not.toContain('with the current briefs and config it would be');
  });
});
