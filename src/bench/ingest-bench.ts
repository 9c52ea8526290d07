import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Parser from 'rss-parser';
import { decodeBody } from '../feeds/decode-body.js';
import { gunzipIfCompressed } from '../feeds/gunzip-body.js';
import { parseFeed } from '../feeds/parse-feed.js';
import { openStore } from '../store/open-store.js';
import type { Story } from '../store/story.js';

/**
 * The feed pipeline's cost against rss-parser alone, on the whole shared corpus
 * (../shared/corpora/feeds), read into memory first and timed in the same run:
 *  - bare: `new Parser().parseString(text)` on each file read as UTF-8;
 *  - pipeline: bytes → decode → clean → parse → normalize (what the poller does
 *    after fetching), then storing into an in-memory SQLite store (fresh each round).
 * Each pass over all files is measured in CPU time (user + system, GC threads
 * included), not wall time, and the best of several rounds is kept: on a shared
 * machine, waiting for a core is then not counted against either side. Run with
 * --expose-gc (npm run bench does) for a full GC before each pass.
 * Target: the pipeline within 1.5× of bare parsing.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CORPUS = path.resolve(repoRoot, '../shared/corpora/feeds');

function loadCorpus(dir: string): Buffer[] {
  const files = readFileSync(path.join(dir, 'INDEX.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[0]!);
  return files.map((f) => readFileSync(path.join(dir, f)));
}

interface Totals {
  /** Best CPU milliseconds of each pass over all files. */
  bareMs: number;
  pipelineMs: number;
  storeMs: number;
  items: number;
  rejected: number;
  stories: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** CPU time (user + system, all threads: GC included) of one pass, in milliseconds. */
async function cpuMs(pass: () => Promise<void> | void): Promise<number> {
  gc?.();
  const before = process.cpuUsage();
  await pass();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** One round: all files through bare parsing and through the pipeline, then their stories into a fresh store. */
async function round(bodies: Buffer[], texts: string[], totals: Totals, now: Date, bareFirst: boolean): Promise<void> {
  const counts = { items: 0, rejected: 0, stories: 0 };
  const parsed: Story[][] = [];
  const barePass = async () => {
    for (const text of texts) {
      try {
        counts.items += (await new Parser().parseString(text)).items.length;
      } catch {
        counts.rejected++;
      }
    }
  };
  const pipelinePass = async () => {
    for (let i = 0; i < bodies.length; i++) {
      const { text } = decodeBody(gunzipIfCompressed(bodies[i]!, 5 * 1024 * 1024));
      const { stories } = await parseFeed(text, {
        feedId: `bench-${i}`,
        baseUrl: `https://bench.example/${i}.xml`,
        lang: 'en',
        now,
      });
      parsed[i] = stories;
      counts.stories += stories.length;
    }
  };
  // Alternating which pass goes first evens out warm caches.
  const first = bareFirst ? barePass : pipelinePass;
  const firstMs = await cpuMs(first);
  const secondMs = await cpuMs(bareFirst ? pipelinePass : barePass);
  totals.bareMs = Math.min(totals.bareMs, bareFirst ? firstMs : secondMs);
  totals.pipelineMs = Math.min(totals.pipelineMs, bareFirst ? secondMs : firstMs);
  const store = await openStore(':memory:');
  try {
    const storeMs = await cpuMs(async () => {
      for (const stories of parsed)
        if (stories.length) await store.stories.upsert(stories, { seenAt: now.toISOString() });
    });
    totals.storeMs = Math.min(totals.storeMs, storeMs);
  } finally {
    await store.close();
  }
  Object.assign(totals, counts);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchIngest(options: { corpusDir?: string; rounds?: number } = {}): Promise<string> {
  const dir = options.corpusDir ?? process.env.DEALBOT_FEED_CORPUS ?? DEFAULT_CORPUS;
  const rounds = options.rounds ?? 5;
  const bodies = loadCorpus(dir);
  const texts = bodies.map((b) => b.toString('utf8'));
  const megabytes = sum(bodies.map((b) => b.length)) / 1024 / 1024;
  const totals: Totals = {
    bareMs: Infinity,
    pipelineMs: Infinity,
    storeMs: Infinity,
    items: 0,
    rejected: 0,
    stories: 0,
  };
  const now = new Date();
  // The first round warms the JIT and is timed like the others: only best times count.
  for (let r = 0; r < rounds + 1; r++) await round(bodies, texts, totals, now, r % 2 === 0);
  const bare = totals.bareMs;
  const pipeline = totals.pipelineMs;
  const stored = pipeline + totals.storeMs;
  return [
    `ingest: ${bodies.length.toLocaleString('en-US')} corpus files (${megabytes.toFixed(1)} MB in memory); CPU time, best of ${rounds + 1} rounds`,
    `  bare rss-parser parseString:   ${seconds(bare)}  ${totals.items} items (${totals.rejected} files rejected)  ${rate(totals.items, bare)} items/s`,
    `  decode+parse+normalize:        ${seconds(pipeline)}  ${totals.stories} stories  ${rate(totals.stories, pipeline)} stories/s  ${(pipeline / bare).toFixed(2)}× bare`,
    `  … + store (SQLite in memory):  ${seconds(stored)}  ${totals.stories} stories  ${rate(totals.stories, stored)} stories/s  ${(stored / bare).toFixed(2)}× bare`,
    '  target: pipeline ≤ 1.5× bare',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchIngest());
}
