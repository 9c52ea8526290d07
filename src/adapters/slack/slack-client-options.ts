import type { webApi } from '@slack/bolt';

/**
 * How dealbot's Slack WebClient talks to the API. Three choices matter:
 * - a timeout on every call (the WebClient has none by default) and on respond(),
 *   which Bolt sends through the same `fetch`;
 * - retries only when Slack certainly did not act on the request: a 429 (the
 *   client has already waited Retry-After and paused its queue) or a connection
 *   that never opened. A 5xx or a timeout may have posted the message, so those
 *   are thrown to the caller, who checks findPosted() before posting again:
 *   never dropped, never doubled;
 * - absolute URLs as method names are refused, so every call goes to slackApiUrl.
 */

export interface SlackClientTuning {
  /** Per-request timeout for the Web API and response_url posts. */
  timeoutMs?: number;
  /** Retries of a safe-to-retry failure (429, connection refused). */
  retries?: number;
  /** Backoff before the first retry, after any Retry-After wait. */
  minRetryMs?: number;
}

export const DEFAULT_TUNING: Required<SlackClientTuning> = { timeoutMs: 10_000, retries: 5, minRetryMs: 250 };

// Errors raised before a request reached Slack: retrying cannot post twice.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a failed attempt can be retried without risking a second copy of the message. */
export function isSafeToRetry(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    // After waiting out a 429's Retry-After the WebClient throws this (wrapped in a WebAPIRequestError).
    if (e.message.startsWith('A rate limit was exceeded')) return true;
    const code = (e as NodeJS.ErrnoException).code;
    if (code && NOT_SENT.has(code)) return true;
  }
  return false;
}

export function slackClientOptions(
  apiUrl: string | undefined,
  tuning: SlackClientTuning = {},
): webApi.WebClientOptions {
  const t = { ...DEFAULT_TUNING, ...tuning };
  // p-retry (under the WebClient) stops retrying when onFailedAttempt throws.
  const retryConfig = {
    retries: t.retries,
    factor: 2,
    minTimeout: t.minRetryMs,
    maxTimeout: 30_000,
    onFailedAttempt: (err: unknown) => {
      if (!isSafeToRetry(err)) throw err;
    },
  };
  const fetchWithTimeout: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(t.timeoutMs) });
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    timeout: t.timeoutMs,
    retryConfig,
    rejectRateLimitedCalls: false,
    allowAbsoluteUrls: false,
    fetch: fetchWithTimeout as webApi.WebClientOptions['fetch'],
  };
}
