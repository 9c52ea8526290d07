import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Parser from 'rss-parser';
import { decodeBody } from '../feeds/decode-body.js';
import { gunzipIfCompressed } from '../feeds/gunzip-body.js';
import { parseFeed } from '../feeds/parse-feed.js';
import { openStore } from '../store/open-store.js';

/**
 * The feed pipeline's cost against rss-parser alone, on the whole shared corpus
 * (../shared/corpora/feeds), read into memory first and timed in the same run:
 *  - bare: `new Parser().parseString(text)` on each file read as UTF-8;
 *  - pipeline: bytes → decode → clean → parse → normalize (what the poller does
 *    after fetching), and the same plus storing into an in-memory SQLite store.
 * Rounds alternate between the two so machine load hits both alike; the best
 * round of each is reported (the least disturbed by other work). Target: the
 * pipeline within 1.5× of bare parsing.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CORPUS = path.resolve(repoRoot, '../shared/corpora/feeds');

interface Round {
  ms: number;
  count: number;
}

function loadCorpus(dir: string): Buffer[] {
  const files = readFileSync(path.join(dir, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]!);
  return files.map((f) => readFileSync(path.join(dir, f)));
}

async function bare(texts: string[]): Promise<Round & { rejected: number }> {
  let count = 0;
  let rejected = 0;
  const start = performance.now();
  for (const text of texts) {
    try {
      count += (await new Parser().parseString(text)).items.length;
    } catch {
      rejected++;
    }
  }
  return { ms: performance.now() - start, count, rejected };
}

async function pipeline(bodies: Buffer[], withStore: boolean): Promise<Round> {
  const store = withStore ? openStore(':memory:') : null;
  const now = new Date();
  let count = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < bodies.length; i++) {
      const { text } = decodeBody(gunzipIfCompressed(bodies[i]!, 5 * 1024 * 1024));
      const feedId = `bench-${i}`;
      const { stories } = await parseFeed(text, { feedId, baseUrl: `https://bench.example/${i}.xml`, lang: 'en', now });
      if (store && stories.length) store.stories.upsert(stories, { seenAt: now.toISOString() });
      count += stories.length;
    }
    return { ms: performance.now() - start, count };
  } finally {
    store?.close();
  }
}

const best = (rounds: Round[]) => rounds.reduce((a, b) => (b.ms < a.ms ? b : a));
const perSecond = (r: Round) => Math.round((r.count / r.ms) * 1000).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchIngest(options: { corpusDir?: string; rounds?: number } = {}): Promise<string> {
  const dir = options.corpusDir ?? process.env.DEALBOT_FEED_CORPUS ?? DEFAULT_CORPUS;
  const rounds = options.rounds ?? 3;
  const bodies = loadCorpus(dir);
  const texts = bodies.map((b) => b.toString('utf8'));
  const megabytes = bodies.reduce((n, b) => n + b.length, 0) / 1024 / 1024;
  const gc = (globalThis as { gc?: () => void }).gc;

  // One untimed pass each, so both are measured with warm JIT and caches.
  await bare(texts);
  await pipeline(bodies, true);
  const bareRounds: (Round & { rejected: number })[] = [];
  const pipeRounds: Round[] = [];
  const storeRounds: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    gc?.();
    bareRounds.push(await bare(texts));
    gc?.();
    pipeRounds.push(await pipeline(bodies, false));
    gc?.();
    storeRounds.push(await pipeline(bodies, true));
  }
  const b = best(bareRounds) as Round & { rejected: number };
  const p = best(pipeRounds);
  const s = best(storeRounds);
  const ratio = (r: Round) => `${(r.ms / b.ms).toFixed(2)}× bare`;
  return [
    `ingest: ${bodies.length.toLocaleString('en-US')} corpus files (${megabytes.toFixed(1)} MB in memory), best of ${rounds} alternating rounds`,
    `  bare rss-parser parseString:      ${seconds(b.ms)}  ${b.count} items (${b.rejected} files rejected)  ${perSecond(b)} items/s`,
    `  decode+parse+normalize:           ${seconds(p.ms)}  ${p.count} stories  ${perSecond(p)} stories/s  ${ratio(p)}`,
    `  … + store (SQLite in memory):     ${seconds(s.ms)}  ${s.count} stories  ${perSecond(s)} stories/s  ${ratio(s)}`,
    `  target: pipeline ≤ 1.5× bare`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchIngest());
}
