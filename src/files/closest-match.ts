/** Damerau–Levenshtein (optimal string alignment) distance; names are short, so O(n·m) is fine. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to what was typed, if it is close enough to be a likely
 * typo (or a prefix of it), for "did you mean …?".
 */
export function closestMatch(typed: string, candidates: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  const prefixed = candidates.filter((c) => c.startsWith(t));
  if (t.length >= 2 && prefixed.length === 1) return prefixed[0];
  let best: { name: string; dist: number } | undefined;
  for (const c of candidates) {
    const dist = editDistance(t, c.toLowerCase());
    if (!best || dist < best.dist) best = { name: c, dist };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(best.name.length / 3));
  return best.dist <= allowed ? best.name : undefined;
}
