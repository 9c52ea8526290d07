import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import path from 'node:path';
import { MatchService } from '../../src/bot/match-service.js';
import { createBotHealth } from '../../src/bot/bot-health.js';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { createCommandEngine } from '../../src/commands/engine.js';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { DigestScheduler } from '../../src/digests/digest-scheduler.js';
import { Poller } from '../../src/feeds/poller.js';
import { createLogger } from '../../src/log/logger.js';
import type { ChatAdapter } from '../../src/messages/chat-adapter.js';
import type { AsyncStore } from '../../src/store/async-store.js';
import { openStore } from '../../src/store/open-store.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.js';
import { startCuttableProxy, type CuttableProxy } from '../helpers/cuttable-proxy.js';
import { rss, startFeedServer, type LocalFeedServer, type RssItem } from '../helpers/local-feed-server.js';
import { shippedBriefs } from '../helpers/paths.js';
import { BRIEFS, config as digestConfig, FakePlatform, MemoryCandidates } from '../digests/helpers.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../helpers/pg-test-db.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * Issue #14: the running bot when its PostgreSQL server stops answering mid-run and comes back.
 * The shared server is never stopped: a TCP proxy in front of it is cut (open connections
 * destroyed, new ones refused) and restored. The bot's pieces run on the real store through it.
 */

const hour = (h: number) => new Date(Date.now() - h * 3_600_000);
const WIRE: RssItem[] = [
  {
    guid: 'o1',
    title: 'Japan and US sign rare earths deal in Tokyo',
    link: 'https://reuters.example/o1',
    pubDate: hour(3),
  },
  {
    guid: 'o2',
    title: 'Dodgers win the World Series in extra innings',
    link: 'https://espn.example/o2',
    pubDate: hour(2),
  },
];

/** Log lines as JSON objects, as pino writes them. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

async function until(what: string, test: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe.skipIf(!PG_TEST_URL)('the bot while PostgreSQL is unreachable', () => {
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let feeds: LocalFeedServer;
  let files: BotFiles;
  let configFile: string;
  let store: AsyncStore;
  let target: string;

  beforeAll(async () => {
    db = await createTestDatabase('outage');
    const server = new URL(PG_TEST_URL!);
    proxy = await startCuttableProxy({ host: server.hostname, port: Number(server.port || 5432) });
    feeds = await startFeedServer({ routes: { '/wire.xml': { body: rss(WIRE) } } });
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: { defaults: { allow_private_network: true }, list: [{ id: 'wire', url: feeds.url('/wire.xml') }] },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
    files = await loadBotFiles(configFile, {});
    store = await openStore(proxy.through(db.url));
    target = `127.0.0.1:${proxy.port}/${db.name}`;
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await feeds?.close();
    await db?.drop();
  });

  it('says the store is unreachable with a typed error naming host:port, and answers again once restored', async () => {
    await store.feeds.list();
    proxy.cut();
    const err = await store.feeds.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain(`the database at ${target} is not answering`);
    proxy.restore();
    await expect(store.feeds.list()).resolves.toEqual([]);
  });

  it('polls nothing while cut, logs it once, blames no feed; restored, stores, decides and is healthy', async () => {
    const { logger, lines } = capturedLogger();
    let lists = 0;
    // Counts the poller's reads of the feed states: one per tick.
    const counted: AsyncStore = {
      ...store,
      feeds: { ...store.feeds, list: () => (lists++, store.feeds.list()) },
    };
    const matching = new MatchService({ store, getBriefs: () => files.briefs, getConfig: () => files.loaded.config });
    const told: string[] = [];
    const poller = new Poller({
      store: counted,
      getFeeds: () => files.loaded.config.feeds,
      logger,
      tick: '* * * * * *',
      filter: matching.filter,
      onNewStories: (ids) => matching.onNewStories(ids),
      notify: (m) => void told.push(m.title ?? ''),
    });
    const engine = createCommandEngine({
      getConfig: () => files.loaded.config,
      getBriefs: () => files.briefs,
      services: { store },
    });
    const health = createBotHealth({
      databasePath: proxy.through(db.url),
      store,
      getConfig: () => files.loaded.config,
      adapters: [],
      env: {},
      logger,
    });
    proxy.cut();
    poller.start();
    try {
      await until('three ticks while cut', () => lists >= 3);
      const outage = lines.filter((l) => l.msg.includes('is not answering'));
      expect(outage).toHaveLength(1);
      expect(outage[0]!.msg).toContain(target);
      expect(lines.filter((l) => /feed failed|poll failed|could not read the feed states/.test(l.msg))).toEqual([]);
      // Admins are told once, whatever the ticks; no feed is blamed.
      expect(told).toEqual(['The database is not answering']);

      // A command gets a plain answer, not an apology for a bug.
      const ask = (text: string) =>
        engine({ platform: 'terminal', command: 'deal', text, user: { id: 'u' }, channel: { id: 'c' } });
      const text = JSON.stringify((await ask('latest')).message);
      expect(text).toContain(`The database at ${target} is not answering; try again in a minute`);
      expect(text).not.toContain('Something went wrong');
      // What needs only the briefs still answers.
      const facts = await ask('facts');
      expect(facts.message.tone).not.toBe('error');
      expect(JSON.stringify(facts.message)).not.toContain('not answering');

      const verdict = await health.probe();
      expect(verdict.healthy).toBe(false);
      expect(verdict.line).toMatch(
        new RegExp(`^unhealthy: the database at ${target.replace(/[.]/g, '\\.')} is not answering`),
      );

      proxy.restore();
      await until(
        'the stories stored and decided',
        async () =>
          lines.some((l) => l.msg === 'feed polled') &&
          (await store.stories.count()) === 2 &&
          (await store.matches.undecided(10)).length === 0,
      );
      expect(lines.some((l) => l.msg.includes('answers again'))).toBe(true);
      expect(await store.feeds.get('wire')).toMatchObject({ status: 'ok', consecutiveFailures: 0, notified: null });
      expect((await store.matches.relevantSince('2000-01-01T00:00:00.000Z')).length).toBeGreaterThan(0);
      expect(told).toEqual(['The database is not answering', 'The database answers again']);
      expect(await health.probe()).toMatchObject({ healthy: true });
    } finally {
      await poller.stop();
    }
  }, 60_000);

  it('a post the platform took while the ledger was cut is retried on the schedule and found, not posted twice', async () => {
    const { logger, lines } = capturedLogger();
    const platform = new FakePlatform();
    const real = platform.adapter();
    let cutAfterPost = true;
    // The platform accepts the post, then the database goes away before the ledger records it.
    const adapter: ChatAdapter = {
      ...real,
      postToChannel: async (...args) => {
        const receipt = await real.postToChannel(...args);
        if (cutAfterPost) proxy.cut();
        cutAfterPost = false;
        return receipt;
      },
    };
    await store.ledger.reserve(
      {
        id: 'al-outage-1',
        channelKey: 'slack:C-outage',
        kind: 'alert',
        slot: null,
        late: false,
        message: { title: 'Rare earths', sections: [{ items: [{ text: 'A deal' }] }] },
        status: 'pending',
        createdAt: new Date().toISOString(),
      },
      [],
    );
    const deliverer = new DigestDeliverer({
      ledger: store.ledger,
      adapterFor: () => adapter,
      logger,
      now: () => new Date(),
      retry: { delaysMs: [20], repeatLast: true },
    });
    const flushed = deliverer.flush({ platform: 'slack', channel: 'C-outage' });
    try {
      await until('two retries while cut', () => lines.filter((l) => l.msg.includes('deliveries wait')).length >= 2);
      expect(platform.posts).toHaveLength(1);
      proxy.restore();
      const result = await flushed;
      expect(result.pending).toEqual([]);
      expect(platform.posts).toHaveLength(1);
      expect(platform.calls).toContain('find al-outage-1');
      expect(await store.ledger.get('al-outage-1')).toMatchObject({ status: 'sent', messageId: 'm1' });
    } finally {
      proxy.restore();
      await deliverer.stop();
    }
  }, 60_000);

  it('a digest slot that found the database cut runs again on the retry schedule, once', async () => {
    const { logger, lines } = capturedLogger();
    const platform = new FakePlatform();
    const adapter = platform.adapter();
    let clock = Date.parse('2026-03-10T07:00:00.000Z');
    const now = () => new Date(clock);
    const retry = { delaysMs: [20], repeatLast: true };
    const deliverer = new DigestDeliverer({ ledger: store.ledger, adapterFor: () => adapter, logger, now, retry });
    const cfg = digestConfig([
      { platform: 'slack', channel: 'C-digest', cron: '0 8 * * *', timezone: 'UTC', quiet_day: 'short-line' },
    ]);
    const scheduler = new DigestScheduler({
      getConfig: () => cfg,
      getBriefs: () => BRIEFS,
      ledger: store.ledger,
      candidates: new MemoryCandidates(),
      deliverer,
      hasAdapter: () => true,
      logger,
      now,
      retry,
    });
    try {
      await scheduler.register();
      clock = Date.parse('2026-03-10T08:01:00.000Z');
      proxy.cut();
      await scheduler.start();
      await until(
        'two digest retries while cut',
        () => lines.filter((l) => l.msg.includes('this digest runs again')).length >= 2,
      );
      expect(platform.posts).toEqual([]);
      proxy.restore();
      await until('the digest posted', () => platform.posts.length > 0);
      expect(platform.posts[0]!.key).toMatch(/^dg/);
      // The slot is handled: running the schedule again reserves and posts nothing.
      const again = await scheduler.runDue(scheduler.nextRuns()[0]!.key);
      expect(again).toMatchObject({ reserved: null });
      expect(platform.posts).toHaveLength(1);
    } finally {
      proxy.restore();
      await scheduler.stop();
      await deliverer.stop();
    }
  }, 60_000);

  it('a match step cut between its decisions and its events is decided again by the next drain, and filed', async () => {
    let cutOnEvents = true;
    // The database goes away in the middle of the step: decisions stored, events not.
    const cutting: AsyncStore = {
      ...store,
      matches: {
        ...store.matches,
        setEvents: (...args) => {
          if (cutOnEvents) proxy.cut();
          cutOnEvents = false;
          return store.matches.setEvents(...args);
        },
      },
    };
    const matching = new MatchService({
      store: cutting,
      getBriefs: () => files.briefs,
      getConfig: () => files.loaded.config,
    });
    const stored = await store.stories.upsert(
      [
        {
          id: 'mid-1',
          feedId: 'wire',
          title: 'Trump and Takaichi sign rare earth minerals pact in Tokyo',
          summary: 'The United States and Japan signed a rare earths and critical minerals framework.',
          url: 'https://nikkei.example/mid-1',
          published: hour(1).toISOString(),
          author: null,
          lang: 'en',
        },
      ],
      { seenAt: new Date().toISOString(), backlogBefore: null },
    );
    const id = stored.insertedIds[0]!;
    try {
      await expect(matching.matchStories([id])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(cutOnEvents).toBe(false);
    } finally {
      proxy.restore();
    }
    expect((await store.matches.get(id))?.clusterKey ?? null).toBeNull();
    expect(await matching.drainUndecided()).toBeGreaterThanOrEqual(1);
    expect(await store.matches.get(id)).toMatchObject({ relevant: true, clusterKey: expect.any(String) });
  }, 60_000);
});
