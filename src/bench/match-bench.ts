import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { briefSchema, type Brief } from '../briefs/schema.js';
import { RelevanceMatcher, type StoryText } from '../matching/relevance.js';

/**
 * Matching speed: stories per second on one core against 1, 5 and 20 synthetic
 * briefs of 50 terms each (20 briefs = 1,000 terms), and 200 briefs (10,000
 * terms) to show that cost grows far less than linearly with the number of
 * terms. Everything is generated from a fixed seed, so runs compare.
 */

// A small deterministic PRNG (mulberry32): same briefs and stories every run.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka ri to mo na se lu vi de pa ro mi ta ne so gu re la po ki'.split(' ');
// All katakana and the 2,000 most frequent-looking han code points: terms as varied as real Japanese ones.
const KANA = Array.from({ length: 86 }, (_, i) => String.fromCharCode(0x30a1 + i));
const KANJI = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x4e00 + i * 10));

// Words of 3–5 syllables: a vocabulary of millions, so that, as in real text, a
// word is rarely a term by accident (with 2 syllables a third of all words would be).
function word(r: () => number): string {
  const n = 3 + Math.floor(r() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)]!;
  return w;
}

function cjkWord(r: () => number): string {
  const pool = r() < 0.5 ? KANA : KANJI;
  let w = '';
  for (let i = 0, n = 3 + Math.floor(r() * 2); i < n; i++) w += pool[Math.floor(r() * pool.length)]!;
  return w;
}

function term(r: () => number): string {
  if (r() < 0.2) return cjkWord(r);
  const words = 1 + Math.floor(r() * 3);
  return Array.from({ length: words }, () => word(r)).join(' ');
}

/** A brief of 50 terms: 4 groups of 5, 14 strong, 6 supporting, 5 negative, 5 specific (some as "+" combinations). */
export function syntheticBriefs(count: number, seed = 1): Brief[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, b) => {
    const groups: Record<string, string[]> = {};
    for (const g of ['a', 'b', 'c', 'd']) groups[g] = Array.from({ length: 5 }, () => term(r));
    const list = (n: number) => Array.from({ length: n }, () => term(r));
    return briefSchema.parse({
      id: `bench-${b}`,
      title: `Bench brief ${b}`,
      summary: 'Synthetic brief for the matching benchmark.',
      as_of: '2025-10-28',
      sources: [{ id: 's', outlet: 'Bench', title: 'Bench', reliability: 'synthetic' }],
      sections: { facts: [{ text: 'Synthetic.', sources: ['s'] }] },
      matching: {
        groups,
        strong: [...list(12), '@a + @b', '@c + @d'],
        supporting: list(6),
        negative: list(5),
        specific: [...list(4), '@a + @c'],
      },
    });
  });
}

/** Headline-shaped stories: ~10 title words and ~30 summary words, a fifth in Japanese, some words being terms. */
export function syntheticStories(count: number, briefs: Brief[], seed = 2): StoryText[] {
  const r = rng(seed);
  const terms = briefs
    .flatMap((b) => [...b.matching.strong, ...Object.values(b.matching.groups).flat()])
    .filter((t) => !t.includes('@'));
  const latin = terms.filter((t) => /^[a-z ]+$/.test(t));
  const cjk = terms.filter((t) => !/^[a-z ]+$/.test(t));
  const pick = (pool: string[], other: () => string) => () =>
    pool.length && r() < 0.1 ? pool[Math.floor(r() * pool.length)]! : other();
  const en = pick(latin, () => word(r));
  const ja = pick(cjk, () => cjkWord(r));
  return Array.from({ length: count }, () =>
    r() < 0.2
      ? { title: Array.from({ length: 6 }, ja).join('、'), summary: Array.from({ length: 12 }, ja).join('') }
      : { title: Array.from({ length: 10 }, en).join(' '), summary: Array.from({ length: 30 }, en).join(' ') },
  );
}

function measure(briefCount: number, stories: number, rounds: number): { perSecond: number; terms: number } {
  const briefs = syntheticBriefs(briefCount);
  const matcher = new RelevanceMatcher(briefs, { relevance: 0.5, brief: 0.5 });
  const sample = syntheticStories(stories, briefs);
  for (const s of sample.slice(0, 2000)) matcher.decide(s); // warm up the JIT
  // Best of three timed passes, in CPU time of this process (not wall time): on a
  // shared machine a busy neighbour skews single runs and wall time.
  let best = 0;
  for (let pass = 0; pass < 3; pass++) {
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i++) for (const s of sample) matcher.decide(s);
    const used = process.cpuUsage(start);
    best = Math.max(best, (rounds * sample.length) / ((used.user + used.system) / 1e6));
  }
  return { perSecond: best, terms: matcher.profiles.termCount };
}

export async function benchMatching(stories = 20_000, rounds = 3): Promise<string> {
  const lines = [
    `matching: ${stories * rounds} synthetic stories per pass, best of 3 passes, stories per CPU-second on one core`,
  ];
  for (const count of [1, 5, 20, 200]) {
    const { perSecond, terms } = measure(count, stories, rounds);
    lines.push(
      `  ${String(count).padStart(3)} brief(s), ${String(terms).padStart(5)} distinct terms: ${Math.round(perSecond).toLocaleString('en-US')} stories/s`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchMatching());
}
