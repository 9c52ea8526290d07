import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FeedConfig, FeedDefaults } from '../config/schema.js';
import { decodeBody } from './decode-body.js';
import type { ParseResult } from './feed-types.js';
import { fetchFeed } from './fetch-feed.js';
import { formatBytes, gunzipIfCompressed, TooLargeError } from './gunzip-body.js';
import { parseFeed } from './parse-feed.js';
import { htmlPageMessage, looksLikeHtml } from './sniff-html.js';

/**
 * One feed named on the command line (a file or an http(s) URL) through the
 * whole pipeline, with the same limits as the poller: for `dealbot ingest` and
 * anyone checking a feed by hand. Never throws: a failure is `error` in plain words.
 */
export interface FeedInput {
  input: string;
  feedId: string;
  /** Stories and the problems that cost items; null when the input could not be read at all. */
  result: ParseResult | null;
  error: string | null;
}

export interface FeedInputSettings {
  defaults: FeedDefaults;
  /** Configured feeds: a URL listed there keeps its id and language. */
  feeds: FeedConfig[];
  userAgent: string;
  now: Date;
}

const DEFAULT_LANG = 'en';

/** A feed id for an input the config does not list: the file's name or the URL's host. */
export function feedIdFor(input: string): string {
  let name: string;
  try {
    name = /^https?:\/\//i.test(input)
      ? new URL(input).hostname
      : path.basename(input).replace(/\.(xml|rss|atom|rdf|feed|gz)$/gi, '');
  } catch {
    name = input;
  }
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  return id || 'ingest';
}

export async function readFeedInput(input: string, settings: FeedInputSettings): Promise<FeedInput> {
  const configured = settings.feeds.find((f) => f.url === input);
  const feedId = configured?.id ?? feedIdFor(input);
  const lang = configured?.language ?? DEFAULT_LANG;
  const done = (result: ParseResult | null, error: string | null): FeedInput => ({ input, feedId, result, error });

  let text: string;
  let baseUrl: string;
  if (/^https?:\/\//i.test(input)) {
    const fetched = await fetchFeed({
      feedId,
      url: input,
      timeoutMs: settings.defaults.timeout,
      maxBytes: settings.defaults.max_bytes,
      maxRedirects: settings.defaults.max_redirects,
      userAgent: settings.userAgent,
      allowPrivateNetwork: settings.defaults.allow_private_network,
    });
    if (fetched.kind !== 'ok')
      return done(null, fetched.kind === 'error' ? fetched.message : 'the server said nothing changed');
    text = fetched.text;
    baseUrl = fetched.finalUrl;
  } else {
    const file = path.resolve(input);
    const read = await readFeedFile(file, settings.defaults.max_bytes);
    if (typeof read === 'string') return done(null, read);
    text = decodeBody(read).text;
    if (looksLikeHtml(text)) return done(null, htmlPageMessage(text, pathToFileURL(file).href));
    baseUrl = pathToFileURL(file).href;
  }
  const result = await parseFeed(text, { feedId, baseUrl, lang, now: settings.now });
  if (!result.stories.length && result.errors.length) return done(result, result.errors[0]!);
  return done(result, null);
}

/** A feed file's bytes (gunzipped when it is a .gz), or a message saying why not. */
async function readFeedFile(file: string, maxBytes: number): Promise<Uint8Array | string> {
  try {
    if ((await stat(file)).size > maxBytes)
      return `the file is larger than the ${formatBytes(maxBytes)} limit (feeds.defaults.max_bytes)`;
    return gunzipIfCompressed(await readFile(file), maxBytes);
  } catch (err) {
    if (err instanceof TooLargeError) return `the file is ${err.message} (feeds.defaults.max_bytes)`;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file (and not an http:// or https:// URL)';
    if (code === 'EISDIR') return 'this is a folder, not a feed file';
    return `cannot read the file (${code ?? (err as Error).message})`;
  }
}
