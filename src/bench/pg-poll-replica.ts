import { loadBotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { Poller } from '../feeds/poller.js';
import { openStore } from '../store/open-store.js';

/**
 * One replica of pg-poll-bench.ts, in its own process (forked by it): the poller
 * and match step the bot wires (feed-watcher.ts, main.ts), on its own PostgreSQL
 * store and pool, leasing due feeds through the store's feed leases. Messages:
 * it gets `start` (database, feeds, its User-Agent), answers `ready`; on `go` it
 * ticks once (each poll that ends leases more, so one tick polls every due feed);
 * on `finish` (the parent saw every feed fetched) it waits for its polls to end,
 * stops, and answers `done` with its figures.
 */

export type ToReplica =
  | { type: 'start'; url: string; feeds: Config['feeds']; userAgent: string; leaseMs: number }
  | { type: 'go' }
  | { type: 'finish' };

export type FromReplica =
  { type: 'ready' } | { type: 'done'; peakRss: number; newStories: number; cpuMs: number; lastPollEndedAt: number };

const send = (message: FromReplica) => process.send!(message);

async function runReplica(start: Extract<ToReplica, { type: 'start' }>): Promise<void> {
  const store = await openStore(start.url);
  const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
  const getConfig = () => files.loaded.config;
  const matching = new MatchService({
    store,
    getBriefs: () => files.briefs,
    getConfig,
    // As main.ts: with feed leases, a story another replica stored a moment ago is being decided by it.
    undecidedGraceMs: store.feedLeases ? 2 * start.leaseMs : undefined,
  });
  let newStories = 0;
  let lastPollEndedAt = 0;
  const poller = new Poller({
    store,
    getFeeds: () => start.feeds,
    filter: matching.filter,
    onNewStories: async (ids) => {
      newStories += ids.length;
      await matching.onNewStories(ids);
    },
    afterPoll: () => (lastPollEndedAt = Date.now()),
    userAgent: start.userAgent,
    leases: store.feedLeases,
    leaseTtlMs: start.leaseMs,
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  let cpu0 = process.cpuUsage();

  process.on('message', (message: ToReplica) => {
    if (message.type === 'go') {
      cpu0 = process.cpuUsage();
      void poller.tick();
    } else if (message.type === 'finish') {
      void (async () => {
        while (poller.busy.length) await new Promise((r) => setTimeout(r, 5));
        await poller.stop();
        await matching.stop();
        clearInterval(sampler);
        const cpu = process.cpuUsage(cpu0);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        await store.close();
        send({ type: 'done', peakRss, newStories, cpuMs: (cpu.user + cpu.system) / 1000, lastPollEndedAt });
        process.disconnect();
      })();
    }
  });
  send({ type: 'ready' });
}

if (process.send) {
  process.once('message', (message: ToReplica) => {
    if (message.type !== 'start') throw new Error(`pg-poll-replica: expected start, got ${message.type}`);
    runReplica(message).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });
}
