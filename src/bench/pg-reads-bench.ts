import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBotFiles, type BotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { createCommandEngine } from '../commands/engine.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import { configSchema } from '../config/schema.js';
import { previewDigest } from '../digests/manual-digest.js';
import { createDigestCandidateSource } from '../digests/store-candidates.js';
import type { AsyncStore } from '../store/async-store.js';
import { copySqliteToPostgres } from '../store/copy-store.js';
import { openStore } from '../store/open-store.js';
import type { Story } from '../store/story.js';
import { orSkipped, scratchDatabase } from './pg-server.js';
import { p99Line, timeRuns } from './stats.js';
import { BENCH_START, benchStory, fillTenDays } from './bench-store.js';
import { syntheticNews } from './synthetic-news.js';

/**
 * Reads on PostgreSQL with 100,000 stories stored as the bot would have them
 * (stories with their feeds, decisions, events' keys, stored events): `/deal
 * latest 10`, `/deal search` (English words, and a Japanese query) through the
 * command engine, and a digest preview; median and p99 of wall and CPU time
 * over 200 runs each. Target: p99 ≤ 20 ms in-process (wall; on a shared machine
 * the wall's tail is partly other processes, so CPU is printed beside it). The
 * same reads on the SQLite store it was built from are printed for comparison.
 *
 * How the store is filled: the real match step over a SQLite file (as
 * event-bench.ts does: ten days of polls of 1,000 stories), then `dealbot
 * migrate-store`'s copy (copySqliteToPostgres) into a throwaway database,
 * dealbot_bench_<random>, on DEALBOT_BENCH_PG_URL (default the local test
 * server), dropped afterwards. Running the match step on PostgreSQL directly
 * gives the same rows but took 2.5× longer when measured (27 s against 5 s to
 * build and 6 s to copy, for 10,000 stories: the store writes a story at a time,
 * a few round trips each), for no difference in what the reads see. The
 * database is then vacuumed and analyzed, as autovacuum does a live one.
 * One story in twenty is in Japanese, so a Japanese search has something to find.
 */

// DEALBOT_BENCH_SCALE < 1 runs a smaller version (for a quick look); the targets are for 1.
const SCALE = Number(process.env.DEALBOT_BENCH_SCALE ?? 1);
const STORED = Math.round(100_000 * SCALE);
const RUNS = 200;
const TARGET_MS = 20;
const DAY = 86_400_000;

// A common word ("Japan": one story in six) as well: search ranks only the newest matches, so it costs what a rare one does.
const SEARCHES = ['rare earths deal', 'Toyota lithium investment', 'gallium export curbs', 'レアアース 協定', 'Japan'];

export async function benchPgReads(): Promise<string> {
  return orSkipped('pg-reads', async () => {
    const db = await scratchDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-pg-reads-'));
    try {
      const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
      const file = path.join(dir, 'source.db');
      const t0 = performance.now();
      const now = await fillStore(file, files);
      const built = performance.now() - t0;
      const t1 = performance.now();
      await copySqliteToPostgres(file, db.url);
      const copied = performance.now() - t1;
      // As autovacuum would have left it by the time anyone reads: measured right after the
      // copy, /deal latest took 10 ms rather than 3 (autovacuum busy with 100,000 new rows).
      await db.settle();

      const pgStore = await openStore(db.url);
      const pgLines = await readsOf(pgStore, files, now);
      await pgStore.close();
      const sqliteStore = await openStore(file, { readonly: true });
      const sqliteLines = await readsOf(sqliteStore, files, now);
      await sqliteStore.close();
      return [
        `pg-reads: ${STORED} stories (synthetic, ~70% on topic, 1 in 20 Japanese) built by the real match step on SQLite in ` +
          `${(built / 1000).toFixed(1)} s, copied into PostgreSQL by migrate-store's copy in ${(copied / 1000).toFixed(1)} s; ${RUNS} runs each:`,
        ...pgLines.map((l) => `  PostgreSQL ${l}`),
        ...sqliteLines.map((l) => `  SQLite     ${l}`),
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
}

/** Ten days of polls of 1,000 stories each through the real match step, as event-bench.ts builds its store. */
export async function fillStore(file: string, files: BotFiles, stored = STORED): Promise<Date> {
  const store = await openStore(file);
  let now = new Date(BENCH_START);
  const matching = new MatchService({
    store,
    getBriefs: () => files.briefs,
    getConfig: () => files.loaded.config,
    now: () => now,
  });
  const news = syntheticNews(stored, 7);
  // One story in 20 Japanese, so search meets CJK text too.
  const toStory = (i: number, at: number): Story =>
    i % 20 === 0
      ? { ...benchStory(news, i, at), title: japaneseTitle(i), summary: '', lang: 'ja' }
      : benchStory(news, i, at);
  await fillTenDays(store, matching, stored, toStory, (n) => (now = n));
  await store.close();
  return new Date(BENCH_START + 10 * DAY + 3_600_000);
}

const JA_PARTIES = ['日本', '米国', '中国', '豪州', '韓国', 'インド'];
const JA_THINGS = ['レアアース', '重要鉱物', 'リチウム', '半導体', '原子炉', '造船'];

/** A Japanese headline on the same topics (so some are relevant), deterministic for i. */
function japaneseTitle(i: number): string {
  const a = JA_PARTIES[i % JA_PARTIES.length]!;
  const b = JA_PARTIES[((i / 7 + 1) % JA_PARTIES.length) | 0]!;
  const thing = JA_THINGS[((i / 3) % JA_THINGS.length) | 0]!;
  return `${a}と${b}、${thing}で協定に署名 総額${(i % 90) + 10}億ドル`;
}

/** /deal latest 10, the searches and a digest preview, each RUNS times: one line each. */
async function readsOf(store: AsyncStore, files: BotFiles, now: Date): Promise<string[]> {
  const engine = createCommandEngine({
    getConfig: () => files.loaded.config,
    getBriefs: () => files.briefs,
    services: { store },
    now: () => now,
  });
  const ask = (text: string) =>
    engine({ platform: 'terminal', command: 'deal', text, user: { id: 'local' }, channel: { id: 'x' } });
  // One untimed run first: each read's prepared statement is planned once per connection.
  const time = (run: () => unknown) => timeRuns(run, RUNS, { warmUp: true });
  const lines = [p99Line('/deal latest 10', await time(() => ask('latest 10')), TARGET_MS)];
  for (const words of SEARCHES)
    lines.push(p99Line(`/deal search ${words}`, await time(() => ask(`search ${words}`)), TARGET_MS));
  const entry = configSchema.parse({ digests: [{ platform: 'terminal', channel: 'desk', max_items: 8 }] }).digests[0]!;
  const candidates = createDigestCandidateSource(store);
  const deps = { config: files.loaded.config, briefs: files.briefs, ledger: store.ledger, candidates };
  lines.push(p99Line('digest preview', await time(() => previewDigest(deps, entry, now)), TARGET_MS));
  return lines;
}
