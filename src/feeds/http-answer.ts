import { STATUS_CODES } from 'node:http';

/**
 * HTTP answers in plain words for the feeds table, and the Retry-After header in
 * milliseconds. Admins read these messages: they say what happened and what to do.
 */

const ADVICE: Record<number, string> = {
  400: 'the server did not understand the request; check the feed URL',
  401: 'the feed requires a login; dealbot only reads public feeds',
  403: 'the server refuses access; it may block bots or need a login',
  404: 'there is no feed at this address; check the URL',
  405: 'the server does not allow reading this address',
  406: 'the server will not send a feed format; check the URL',
  408: 'the server gave up waiting; it will be tried again',
  410: 'the feed has been removed for good; it will no longer be polled',
  429: 'the server asks us to slow down; it will be tried again later',
  451: 'the feed is unavailable for legal reasons',
  500: 'the server failed; it will be tried again',
  502: 'a gateway in front of the server failed; it will be tried again',
  503: 'the server is temporarily unavailable; it will be tried again',
  504: 'a gateway in front of the server timed out; it will be tried again',
};

/** e.g. "the server answered 404 Not Found: there is no feed at this address; check the URL". */
export function describeStatus(status: number): string {
  const phrase = STATUS_CODES[status] ?? 'Unknown Status';
  const advice =
    ADVICE[status] ?? (status >= 500 ? 'the server failed; it will be tried again' : 'the server refused the request');
  return `the server answered ${status} ${phrase}: ${advice}`;
}

/** Retry-After as milliseconds from now: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
