import type { Story } from '../store/story.js';

/**
 * The contracts between the feed pipeline's stages: fetch (HTTP, politely) →
 * decode (bytes to text) → parse (rss-parser) → normalize (Story). The poller
 * (poller.ts) drives them and the store keeps what they give.
 */

export interface FetchRequest {
  feedId: string;
  url: string;
  /** Validators from the last successful fetch, for conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Allow loopback/private/link-local targets (intranet feeds, tests). */
  allowPrivateNetwork: boolean;
  signal?: AbortSignal;
}

export type FetchResult =
  | {
      kind: 'ok';
      status: number;
      /** The body decoded to text (charset from header, XML declaration, BOM, then UTF-8). */
      text: string;
      finalUrl: string;
      etag: string | null;
      lastModified: string | null;
      /** Set when a 301/308 redirect moved the feed for good. */
      movedPermanentlyTo: string | null;
      bytes: number;
    }
  | { kind: 'not-modified'; status: 304; finalUrl: string; movedPermanentlyTo: string | null }
  | {
      kind: 'error';
      /** HTTP status when there was one. */
      status: number | null;
      /** Machine-readable reason: timeout, too-large, too-many-redirects, http-error, blocked-address, network, not-a-feed… */
      reason: string;
      /** Plain words for the feeds table and logs: what happened and what to do. */
      message: string;
      /** Milliseconds the server asked us to wait (Retry-After on 429/503). */
      retryAfterMs: number | null;
      /** 410, or a permanent failure: stop polling. */
      gone: boolean;
    };

export interface ParseOptions {
  feedId: string;
  /** Base for resolving relative links (the feed's final URL). */
  baseUrl: string;
  /** The feed's configured language, used when items do not say. */
  lang: string;
  /** "Now", for missing or untrustworthy dates. */
  now: Date;
  /** Aborted when the bot stops: a parse off the main thread is given up (CancelledError). */
  signal?: AbortSignal;
}

export interface ParseResult {
  feedTitle: string | null;
  stories: Story[];
  /** Problems that cost items or the whole feed, in plain words. */
  errors: string[];
}

/** A fetch (or read) that failed: the error branch of FetchResult. */
export type FetchFailure = Extract<FetchResult, { kind: 'error' }>;

/** The one way a failure is made: a reason for machines, a message for admins, no wait and not gone. */
export function fetchFailure(reason: string, message: string, status: number | null = null): FetchFailure {
  return { kind: 'error', status, reason, message, retryAfterMs: null, gone: false };
}
