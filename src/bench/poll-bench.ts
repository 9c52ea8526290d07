import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import { Poller } from '../feeds/poller.js';
import { openStore } from '../store/open-store.js';
import { seedSeenFeeds, startFeedServers } from './feed-servers.js';

/**
 * One poll cycle over many feeds, as the running bot does it: real HTTP on
 * loopback, the real fetch → parse → store pipeline, a SQLite file in WAL mode,
 * and matching on (every new story decided, relevant ones filed into events by
 * the shipped briefs and config, as the bot's match step does).
 * Feeds are spread over many loopback addresses, one server bound per address,
 * so the per-host limit behaves as it would with many outlets (feed-servers.ts,
 * shared with pg-poll-bench.ts). Half the feeds were seen before and answer 304.
 * Targets: 1,000 feeds in < 30 s wall time, < 200 MB peak RSS (the whole
 * process, servers included, so the poller's own share is smaller).
 */

export interface PollBenchOptions {
  hosts?: number;
  feedsPerHost?: number;
  itemsPerFeed?: number;
  concurrency?: number;
  /** Server think time per request, ms (a real outlet takes 50–500 ms). */
  latencyMs?: number;
}

export async function benchPoll(options: PollBenchOptions = {}): Promise<string> {
  const { hosts = 50, feedsPerHost = 20, itemsPerFeed = 20, concurrency = 16, latencyMs = 20 } = options;
  const total = hosts * feedsPerHost;
  const servers = await startFeedServers({ hosts, feedsPerHost, itemsPerFeed, latencyMs }, concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-poll-bench-'));
  const store = await openStore(path.join(dir, 'bench.db'));
  const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
  const matching = new MatchService({ store, getBriefs: () => files.briefs, getConfig: () => files.loaded.config });
  try {
    const { feeds } = servers;
    await seedSeenFeeds(store, feeds);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const start = performance.now();
    const poller = new Poller({
      store,
      getFeeds: () => feeds,
      filter: matching.filter,
      onNewStories: matching.onNewStories,
    });
    const outcomes = await poller.pollOnce();
    const wall = performance.now() - start;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const count = (k: string) => outcomes.filter((o) => o.kind === k).length;
    const inserted = outcomes.reduce((n, o) => n + o.inserted, 0);
    const timedOut = outcomes.filter((o) => o.kind === 'error' && /time/i.test(o.error ?? '')).length;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    const verdict = wall < 30_000 && peakRss < 200 * 1024 * 1024 && timedOut === 0 ? 'within targets' : 'OVER TARGET';
    return (
      `poll: ${total} feeds on ${hosts} hosts, concurrency ${concurrency}, ${latencyMs} ms server latency: ` +
      `${(wall / 1000).toFixed(1)} s wall (target < 30 s), peak RSS ${mb(peakRss)} (target < 200 MB; process max ${mb(process.resourceUsage().maxRSS * 1024)}); ` +
      `${count('ok')} × 200, ${count('not-modified')} × 304, ${count('error')} errors (${timedOut} timed out), ${inserted} stories stored and matched — ${verdict}`
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await servers.close();
  }
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchPoll());
}
