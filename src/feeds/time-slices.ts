import { setImmediate as nextTurn } from 'node:timers/promises';
import { CancelledError } from './host-limiter.js';

/**
 * Long work (storing 15,000 stories, deciding them) done in slices that each take
 * about `budgetMs`, with a turn of the event loop between slices, so the bot keeps
 * answering users and timers while it works. Slices are sized by time, not by a
 * fixed count, because a story costs 20 µs to store on one machine and 1 ms to
 * cluster on a busy one.
 */

/**
 * The budget of one slice: well under the 50 ms the bot promises as its longest
 * pause, because a slice may also meet a garbage collection or a WAL checkpoint,
 * and on a busy machine the thread is not always on a CPU (the loop bench).
 */
export const SLICE_BUDGET_MS = 8;

export class AdaptiveBatch {
  private current: number;

  constructor(
    // Small: the first slice meets cold costs (the matcher compiled, the event index built
    // from the store), and 50 stories then held the loop 45-50 ms in the loop bench.
    first = 10,
    private readonly min = 5,
    private readonly max = 2_000,
    private readonly budgetMs = SLICE_BUDGET_MS,
  ) {
    this.current = first;
  }

  /** How many items the next slice should take. */
  get size(): number {
    return this.current;
  }

  /** Tells how long the last slice of `count` items took; the next size aims at the budget (at most doubling). */
  took(ms: number, count: number): void {
    if (count <= 0) return;
    const perItem = Math.max(ms, 0.1) / count;
    const aim = Math.floor(this.budgetMs / perItem);
    this.current = Math.max(this.min, Math.min(this.max, aim, this.current * 2));
  }
}

/** One turn of the event loop (I/O and timers run), then throws CancelledError if `signal` was aborted meanwhile. */
export async function yieldToLoop(signal?: AbortSignal): Promise<void> {
  await nextTurn();
  if (signal?.aborted) throw new CancelledError('stopped between slices');
}

/** Calls `work` on consecutive slices of `items`, sized to the time budget, yielding between them. */
export async function inSlices<T>(
  items: readonly T[],
  work: (slice: readonly T[]) => void | Promise<void>,
  options: { signal?: AbortSignal; batch?: AdaptiveBatch } = {},
): Promise<void> {
  const batch = options.batch ?? new AdaptiveBatch();
  for (let i = 0; i < items.length;) {
    if (i > 0) await yieldToLoop(options.signal);
    const slice = items.slice(i, i + batch.size);
    const started = performance.now();
    await work(slice);
    batch.took(performance.now() - started, slice.length);
    i += slice.length;
  }
}
