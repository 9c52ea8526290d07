import { checkHost } from './address-policy.js';
import { decodeBody } from './decode-body.js';
import { fetchFailure, type FetchRequest, type FetchResult } from './feed-types.js';
import { formatBytes, gunzipIfCompressed, TooLargeError } from './gunzip-body.js';
import { describeStatus, retryAfterMs } from './http-answer.js';
import { networkTimeout } from './network-timeout.js';
import { htmlPageMessage, looksLikeHtml } from './sniff-html.js';

/**
 * Fetches a feed politely and safely with Node's fetch. Never throws: every
 * failure is a FetchResult error in plain words.
 *  - Redirects are followed by hand (redirect: 'manual') so each hop is counted
 *    (req.maxRedirects), loops are caught, and each hop's address is checked
 *    (address-policy.ts): a public feed cannot redirect the bot into the intranet.
 *  - A 301/308 chain from the start is reported as movedPermanentlyTo (the end of
 *    the unbroken run of permanent redirects: after a 302, the old URL is still
 *    the one to poll).
 *  - One timeout covers everything, the body included, so a server that sends a
 *    byte a minute cannot hold a poller slot forever. It counts the network only,
 *    not time the event loop was busy with other work (network-timeout.ts).
 *  - The body is read as a stream and cut at req.maxBytes, counted after fetch's
 *    own gzip/deflate/br decompression, so a decompression bomb stops at the cap.
 *  - Conditional GET: 304 means nothing changed.
 */
export async function fetchFeed(req: FetchRequest): Promise<FetchResult> {
  const timeout = networkTimeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout.signal, req.signal]) : timeout.signal;
  try {
    return await followRedirects(req, signal);
  } catch (err) {
    if (req.signal?.aborted) return fetchFailure('aborted', 'the fetch was cancelled');
    if (timeout.signal.aborted) {
      return fetchFailure(
        'timeout',
        `no complete answer within ${seconds(req.timeoutMs)} (the download counts too); the server is slow or the feed too large`,
      );
    }
    if (err instanceof TooLargeError) return tooLarge(req.maxBytes);
    const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
    return fetchFailure(code.startsWith('Z_') ? 'bad-body' : 'network', networkMessage(err));
  } finally {
    timeout.clear();
  }
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function followRedirects(req: FetchRequest, signal: AbortSignal): Promise<FetchResult> {
  const headers: Record<string, string> = {
    'user-agent': req.userAgent,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (req.etag) headers['if-none-match'] = req.etag;
  if (req.lastModified) headers['if-modified-since'] = req.lastModified;
  const seen = new Set<string>();
  let url = req.url;
  let movedPermanentlyTo: string | null = null;
  let permanentSoFar = true;
  for (let hops = 0; ; hops++) {
    const target = httpUrl(url);
    if (typeof target === 'string') return fetchFailure('bad-url', hops ? `a redirect led to ${target}` : target);
    if (target.username || target.password)
      return fetchFailure('bad-url', 'the feed URL contains a user name or password; dealbot only reads public feeds');
    const host = await checkHost(target.hostname, req.allowPrivateNetwork);
    if (!host.ok)
      return fetchFailure(host.reason, hops ? `${host.message} (reached by a redirect from ${req.url})` : host.message);
    seen.add(target.href);

    const res = await fetch(target, { method: 'GET', headers, redirect: 'manual', signal });
    if (!REDIRECTS.has(res.status)) return answer(res, target.href, movedPermanentlyTo, req, signal);

    await res.body?.cancel();
    const location = res.headers.get('location');
    if (!location)
      return fetchFailure(
        'http-error',
        `the server answered ${res.status} (a redirect) without saying where to`,
        res.status,
      );
    let next: string;
    try {
      next = new URL(location, target).href;
    } catch {
      return fetchFailure('bad-url', `the server redirected to "${location}", which is not a valid URL`, res.status);
    }
    if (seen.has(next))
      return fetchFailure(
        'redirect-loop',
        `the redirects go round in a loop (back to ${next}); the site is misconfigured`,
        res.status,
      );
    if (hops >= req.maxRedirects) {
      return fetchFailure(
        'too-many-redirects',
        `more than ${req.maxRedirects} redirects (last to ${next}); use the final address as the feed URL`,
        res.status,
      );
    }
    if (permanentSoFar && (res.status === 301 || res.status === 308)) movedPermanentlyTo = next;
    else permanentSoFar = false;
    url = next;
  }
}

async function answer(
  res: Response,
  finalUrl: string,
  movedPermanentlyTo: string | null,
  req: FetchRequest,
  signal: AbortSignal,
): Promise<FetchResult> {
  if (res.status === 304) {
    await res.body?.cancel();
    return { kind: 'not-modified', status: 304, finalUrl, movedPermanentlyTo };
  }
  if (!res.ok) {
    await res.body?.cancel();
    const retry = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : null;
    const reason = res.status === 410 ? 'gone' : res.status === 429 ? 'rate-limited' : 'http-error';
    return {
      kind: 'error',
      status: res.status,
      reason,
      message: describeStatus(res.status),
      retryAfterMs: retry,
      gone: res.status === 410,
    };
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > req.maxBytes) {
    await res.body?.cancel();
    return tooLarge(req.maxBytes, res.status);
  }
  const raw = await readCapped(res, req.maxBytes, signal);
  if (raw === null) return tooLarge(req.maxBytes, res.status);
  // A .gz file served without Content-Encoding reaches us still compressed.
  let bytes: Uint8Array;
  try {
    bytes = gunzipIfCompressed(raw, req.maxBytes);
  } catch (err) {
    if (err instanceof TooLargeError) return tooLarge(req.maxBytes, res.status);
    return fetchFailure('bad-body', (err as Error).message, res.status);
  }
  if (!bytes.length) return fetchFailure('not-a-feed', 'the server sent an empty answer instead of a feed', res.status);
  const decoded = decodeBody(bytes, res.headers.get('content-type'));
  if (looksLikeHtml(decoded.text))
    return fetchFailure('not-a-feed', htmlPageMessage(decoded.text, finalUrl), res.status);
  return {
    kind: 'ok',
    status: res.status,
    text: decoded.text,
    finalUrl,
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
    movedPermanentlyTo,
    bytes: bytes.length,
  };
}

/** The body's bytes, or null once they pass maxBytes (the rest is not downloaded). */
async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

function httpUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `${parsed.protocol}// URLs are not allowed; feeds must be http:// or https:// (got ${url})`;
  return parsed;
}

function tooLarge(maxBytes: number, status: number | null = null): FetchResult {
  return fetchFailure(
    'too-large',
    `the feed is larger than the ${formatBytes(maxBytes)} limit (feeds.defaults.max_bytes); it was not read`,
    status,
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection (nothing listens there)',
  ECONNRESET: 'the server closed the connection abruptly',
  ENOTFOUND: 'the host name does not exist',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  UND_ERR_SOCKET: 'the connection broke',
  Z_DATA_ERROR: 'the compressed body is corrupt (the server’s Content-Encoding does not match what it sent)',
  Z_BUF_ERROR: 'the compressed body is truncated',
};

function networkMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  if (code && NETWORK_WORDS[code]) return NETWORK_WORDS[code];
  if (code && /CERT|SSL|TLS/i.test(code)) return `the server's HTTPS certificate is not valid (${code})`;
  return `the request failed (${cause?.message ?? (err as Error).message ?? String(err)})`;
}
