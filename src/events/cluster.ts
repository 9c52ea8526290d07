import { outletOf, splitOutletSuffix } from './outlet.js';

/**
 * Near-duplicate clustering: the same event reported by several outlets
 * (syndicated copies, "Title - Outlet" suffixes, small rewrites) becomes one
 * cluster, shown once with "also covered by N outlets". Titles are reduced to
 * sets of word stems (and character pairs for CJK), compared with Jaccard
 * similarity, and joined with union-find; only stories sharing a word are ever
 * compared, and stories further apart in time than the window never join.
 */

export interface ClusterableStory {
  id: string;
  title: string;
  url?: string | null;
  feedId?: string;
  /** ISO time; when unknown the story joins clusters regardless of time. */
  published?: string | null;
}

/** Stories found to report one event. Which story leads it for readers is news-event.ts's rule, not this one's. */
export interface TitleCluster<T> {
  /** The earliest story: its id becomes the event's key. */
  first: T;
  members: T[];
  /** Distinct outlets other than the first story's. */
  alsoCoveredBy: string[];
}

export interface ClusterOptions {
  /** Jaccard similarity of title words from which two stories are one event (config matching.cluster_similarity). */
  similarity: number;
  /** Stories further apart than this (ms) are different events. */
  windowMs?: number;
}

const STOPWORDS = new Set(
  'a an the of to in on for and or as at by with from over after before amid into its it is are be was were will says say said new report reports update live'.split(
    ' ',
  ),
);

/** Word stems (and CJK character pairs) of a title, for similarity. */
export function titleFeatures(title: string): Set<string> {
  const { core } = splitOutletSuffix(title);
  const lower = core.toLowerCase();
  const out = new Set<string>();
  for (const m of lower.matchAll(/[\p{Script=Latin}\p{Nd}]+/gu)) {
    const w = clusterStem(m[0]);
    if (!STOPWORDS.has(w)) out.add(w);
  }
  for (const run of lower.match(/[\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]+/g) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

// Rewrites change tense and number ("halts" / "halted"): fold both away.
function clusterStem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('es')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export function titleSimilarity(a: string, b: string): number {
  return jaccard(titleFeatures(a), titleFeatures(b));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

export function clusterStories<T extends ClusterableStory>(
  stories: readonly T[],
  options: ClusterOptions,
): TitleCluster<T>[] {
  const windowMs = options.windowMs ?? 3 * 86_400_000;
  const features = stories.map((s) => titleFeatures(s.title));
  const times = stories.map((s) => (s.published ? Date.parse(s.published) : NaN));
  const parent = stories.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };

  const postings = new Map<string, number[]>();
  features.forEach((f, i) => {
    const shared = new Map<number, number>();
    for (const word of f) {
      const list = postings.get(word);
      if (list) {
        for (const j of list) shared.set(j, (shared.get(j) ?? 0) + 1);
        list.push(i);
      } else postings.set(word, [i]);
    }
    for (const [j, n] of shared) {
      const sim = n / (f.size + features[j]!.size - n);
      if (sim < options.similarity) continue;
      if (Math.abs(times[i]! - times[j]!) > windowMs) continue; // NaN (unknown time) never blocks
      parent[find(i)] = find(j);
    }
  });

  const groups = new Map<number, number[]>();
  stories.forEach((_, i) => {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  });
  return [...groups.values()].map((idx) => {
    const members = idx.map((i) => stories[i]!);
    const first = idx.reduce((a, b) => (times[b]! < times[a]! ? b : a), idx[0]!);
    const firstOutlet = outletOf(stories[first]!).toLowerCase();
    const others = new Map<string, string>();
    for (const m of members) {
      const o = outletOf(m);
      if (o.toLowerCase() !== firstOutlet) others.set(o.toLowerCase(), o);
    }
    return { first: stories[first]!, members, alsoCoveredBy: [...others.values()] };
  });
}
