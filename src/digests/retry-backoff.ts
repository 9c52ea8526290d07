/**
 * How long to wait before each retry of a failed post. A platform outage of a
 * few minutes is ridden out quickly; with repeatLast the last delay repeats for as
 * long as the bot runs, so a pending post is never left waiting for the channel's
 * next delivery. Without it (a person waiting on `digest --send-now`) the attempts
 * stop after the last delay and the delivery stays pending in the ledger for the bot.
 */
export interface RetryPolicy {
  delaysMs: number[];
  /** Keep retrying at the last delay instead of stopping after it. */
  repeatLast?: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
  delaysMs: [5_000, 30_000, 120_000, 600_000, 1_800_000],
  repeatLast: true,
};

/** The wait before retry number `retry` (0-based), or undefined when the policy has given up. */
export function retryDelay(policy: RetryPolicy, retry: number): number | undefined {
  const own = policy.delaysMs[retry];
  if (own !== undefined) return own;
  return policy.repeatLast ? policy.delaysMs.at(-1) : undefined;
}

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
