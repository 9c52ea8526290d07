import { webApi } from '@slack/bolt';

/**
 * Slack failures in words for logs and start-up errors: which ones mean the token was
 * refused, which ones mean Slack was never reached, and the short reason to show.
 */

// Why a request never got an answer from Slack, by the code Node gives the failure.
const NETWORK_WORDS: Record<string, string> = {
  ENOTFOUND: 'the host name was not found in DNS',
  EAI_AGAIN: 'the DNS lookup failed',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted (a proxy in between?)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted (a proxy in between?)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
};

/**
 * Why a call failed without Slack answering at all (no DNS, no connection, no reply in
 * time), in words with the underlying error; undefined when Slack did answer. Lets a
 * start with no network say so instead of blaming the token.
 */
export function networkFailure(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e);) {
    seen.add(e);
    const code = (e as NodeJS.ErrnoException).code;
    if (code && NETWORK_WORDS[code]) return `${NETWORK_WORDS[code]} (${e.message})`;
    if (e.name === 'TimeoutError') return `no answer in time (${e.message})`;
    // The WebClient wraps the fetch error as `original`; fetch wraps the socket error as `cause`.
    e = (e as { original?: unknown }).original ?? e.cause;
  }
  return undefined;
}

// auth.test answers these when the token itself is at fault.
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/** Why the start's identity check failed: no network, a refused token, or Slack failing. */
export function startFailure(err: unknown, apiUrl: string | undefined): string {
  // A request error means no HTTP answer came back, whatever the reason (even a port fetch refuses).
  const offline =
    networkFailure(err) ??
    (err instanceof webApi.WebAPIRequestError ? `the request failed (${innermostMessage(err)})` : undefined);
  if (offline) {
    const where = apiUrl ?? 'https://slack.com/api/';
    return `Could not reach Slack at ${where}: ${offline}. Check the network, DNS or proxy${apiUrl ? ', and SLACK_API_URL' : ''}; the token was not checked.`;
  }
  if (err instanceof webApi.WebAPIPlatformError && TOKEN_REFUSED.has(err.data.error))
    return `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${err.data.error}). Check the token: Slack app → OAuth & Permissions → Bot User OAuth Token (xoxb-…).`;
  return `Slack's identity check failed (auth.test: ${describeSlackError(err)}). If it persists, check the Slack status page and SLACK_API_URL.`;
}

function innermostMessage(err: Error): string {
  let e: unknown = err;
  for (let depth = 0; depth < 5; depth++) {
    const next: unknown = (e as { original?: unknown }).original ?? (e as Error).cause;
    if (!(next instanceof Error)) break;
    e = next;
  }
  return (e as Error).message;
}

/** A short reason for logs and errors: Slack's error code, the HTTP status, or the message. */
export function describeSlackError(err: unknown): string {
  if (err instanceof webApi.WebAPIPlatformError) return err.data.error;
  if (err instanceof webApi.WebAPIHTTPError) return `HTTP ${err.statusCode}`;
  if (err instanceof webApi.WebAPIRateLimitedError) return `rate limited (retry after ${err.retryAfter}s)`;
  if (err instanceof webApi.WebAPIRequestError) return `request failed (${err.original.message})`;
  return err instanceof Error ? err.message : String(err);
}
