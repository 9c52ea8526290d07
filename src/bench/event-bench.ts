import { performance } from 'node:perf_hooks';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { createCommandEngine } from '../commands/engine.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import { configSchema } from '../config/schema.js';
import { previewDigest } from '../digests/manual-digest.js';
import { createDigestCandidateSource } from '../digests/store-candidates.js';
import { openStore } from '../store/open-store.js';
import type { Story } from '../store/story.js';
import { formatMs, p99Line, timeRuns } from './stats.js';
import { BENCH_START, benchStory, fillTenDays } from './bench-store.js';
import { syntheticNews } from './synthetic-news.js';

/**
 * Matching and clustering on the real path (the match step the poller calls:
 * decide, store decisions, file into events through the event index, store
 * events) with a store of 100,000 stories:
 *  - a poll bringing 15,000 new relevant stories: target ≤ 3 s CPU;
 *  - then a poll bringing 5: target ≤ 20 ms;
 *  - /deal latest and a digest preview over that store: p99 target ≤ 10 ms.
 * CPU time is this process's user+system time, so other load on the machine
 * does not count; wall time is printed beside it.
 */

// DEALBOT_BENCH_SCALE < 1 runs a smaller version (for a quick look); the targets are for 1.
const SCALE = Number(process.env.DEALBOT_BENCH_SCALE ?? 1);
const STORED = Math.round(100_000 * SCALE);
const BIG_POLL = Math.round(15_000 * SCALE);
const SMALL_POLL = 5;
const RUNS = 200;
const HOUR = 3_600_000;

export async function benchEvents(): Promise<string> {
  const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
  const store = await openStore(':memory:');
  const start = BENCH_START;
  let now = new Date(start);
  const matching = new MatchService({
    store,
    getBriefs: () => files.briefs,
    getConfig: () => files.loaded.config,
    now: () => now,
  });
  const news = syntheticNews(STORED + BIG_POLL + SMALL_POLL, 7);
  const toStory = (i: number, at: number): Story => benchStory(news, i, at);

  // The store as days of polls left it: 100,000 stories over ten days, decided and filed.
  await fillTenDays(store, matching, STORED, toStory, (n) => (now = n));

  const poll = async (from: number, count: number, at: number) => {
    now = new Date(at + 60_000);
    const stories = Array.from({ length: count }, (_, k) => toStory(from + k, at + k * 50));
    const ids = (await store.stories.upsert(stories, { seenAt: now.toISOString() })).insertedIds;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const decisions = await matching.matchStories(ids);
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, wall, relevant: decisions.filter((d) => d.relevant).length };
  };
  const end = start + 10 * 86_400_000;
  const big = await poll(STORED, BIG_POLL, end + HOUR);
  const small = await poll(STORED + BIG_POLL, SMALL_POLL, end + 2 * HOUR);

  // Reads over the full store, in-process: the engine as chat answers use it, and a digest preview.
  const engine = createCommandEngine({
    getConfig: () => files.loaded.config,
    getBriefs: () => files.briefs,
    services: { store },
    now: () => now,
  });
  const latest = await timeRuns(
    () =>
      engine({
        platform: 'terminal',
        command: 'deal',
        text: 'latest 10',
        user: { id: 'local' },
        channel: { id: 'x' },
      }),
    RUNS,
  );
  const entry = configSchema.parse({ digests: [{ platform: 'terminal', channel: 'desk', max_items: 8 }] }).digests[0]!;
  const candidates = createDigestCandidateSource(store);
  const preview = await timeRuns(
    () =>
      previewDigest(
        { config: files.loaded.config, briefs: files.briefs, ledger: store.ledger, candidates },
        entry,
        now,
      ),
    RUNS,
  );
  await store.close();

  const ok = (v: number, target: number) => (v <= target ? 'ok' : 'OVER TARGET');
  return [
    `events: store of ${STORED} stories (synthetic, ~70% on topic), the real match step (decide, store, event index, store events)`,
    `  poll of ${BIG_POLL} new stories (${big.relevant} relevant): ${(big.cpuMs / 1000).toFixed(2)} s CPU, ${(big.wall / 1000).toFixed(2)} s wall (target ≤ 3 s CPU: ${ok(big.cpuMs, 3000)})`,
    `  poll of ${SMALL_POLL} new stories: ${formatMs(small.cpuMs)} CPU, ${formatMs(small.wall)} wall (target ≤ 20 ms: ${ok(small.cpuMs, 20)})`,
    `  ${p99Line('/deal latest 10', latest, 10)}`,
    `  ${p99Line('digest preview', preview, 10)}`,
  ].join('\n');
}
