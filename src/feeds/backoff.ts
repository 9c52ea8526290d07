/**
 * When to poll a feed next. Healthy feeds come back after their interval; failing
 * ones back off exponentially (so a broken server is not hammered) up to a cap;
 * a server's Retry-After is a floor we never undercut. A little jitter spreads
 * feeds that were added together so they do not all fire on the same tick.
 */

export const MAX_BACKOFF_MS = 6 * 3_600_000;
/** A Retry-After larger than this is treated as this (a broken header must not park a feed for months). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
const JITTER = 0.1;

/** ±10 % around `ms`; `random` is Math.random or a test's fixed value. */
export function withJitter(ms: number, random: () => number): number {
  return Math.round(ms * (1 - JITTER + 2 * JITTER * random()));
}

/** Delay after a successful poll (200 or 304). */
export function successDelay(intervalMs: number, random: () => number): number {
  return withJitter(intervalMs, random);
}

/**
 * Delay after the n-th failure in a row (n ≥ 1): the interval, then doubling,
 * capped at 6 hours, and never shorter than the server's Retry-After.
 */
export function failureDelay(
  intervalMs: number,
  failures: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const exponential = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.max(0, failures - 1));
  const floor = retryAfterMs && retryAfterMs > 0 ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return Math.max(Math.min(MAX_BACKOFF_MS, withJitter(exponential, random)), floor);
}

/**
 * The longest delay the backoff alone gives after the n-th failure (jitter included):
 * a feed parked for longer than this is waiting for the server's Retry-After.
 */
export function backoffCeiling(intervalMs: number, failures: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.max(0, failures - 1));
  return Math.min(MAX_BACKOFF_MS, Math.round(exponential * (1 + JITTER)));
}
