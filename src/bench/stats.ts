import { performance } from 'node:perf_hooks';

/** Percentile of a sorted-on-demand list of samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** Wall and this process's CPU time of each run, in ms. */
export interface RunTimes {
  wall: number[];
  cpu: number[];
}

/**
 * Times `runs` runs of `run`: the wall time (what a user waits) and this process's
 * CPU time beside it (on a shared machine the wall time's tail is mostly other
 * processes). The heap left by what came before is collected first, so it does not
 * land in these runs; `warmUp` runs it once untimed first (caches, prepared statements).
 */
export async function timeRuns(
  run: () => unknown,
  runs: number,
  options: { warmUp?: boolean } = {},
): Promise<RunTimes> {
  if (options.warmUp) await run();
  (globalThis as { gc?: () => void }).gc?.();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

/** "name: median …, p99 … (CPU …) (target p99 ≤ N ms: ok)". */
export function p99Line(name: string, t: RunTimes, targetMs: number): string {
  const p99 = percentile(t.wall, 99);
  return (
    `${name}: median ${formatMs(percentile(t.wall, 50))}, p99 ${formatMs(p99)} ` +
    `(CPU median ${formatMs(percentile(t.cpu, 50))}, p99 ${formatMs(percentile(t.cpu, 99))}) ` +
    `(target p99 ≤ ${targetMs} ms: ${p99 <= targetMs ? 'ok' : 'OVER TARGET'})`
  );
}
