/**
 * How long to wait before each retry of a failed post. A platform outage of a
 * few minutes is ridden out in-process; past the last delay the delivery stays
 * pending in the ledger and is retried at the channel's next delivery or on
 * restart, so giving up here never loses a digest.
 */
export interface RetryPolicy {
  delaysMs: number[];
}

export const DEFAULT_RETRY: RetryPolicy = { delaysMs: [5_000, 30_000, 120_000, 600_000, 1_800_000] };

/** Resolves after ms, or rejects with the signal's reason when aborted (stop()). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
