import { configSchema } from '../../src/config/schema.js';
import type { FetchRequest, FetchResult, ParseResult } from '../../src/feeds/feed-types.js';
import type { FeedsConfig } from '../../src/feeds/poller.js';
import type { Message } from '../../src/messages/message.js';
import type { Story } from '../../src/store/story.js';

/** The feeds part of a config, through the real schema so defaults apply as in production. */
export function feedsConfig(feeds: Record<string, unknown>[], defaults: Record<string, unknown> = {}): FeedsConfig {
  return configSchema.parse({ feeds: { defaults: { allow_private_network: true, ...defaults }, list: feeds } }).feeds;
}

/** A fetch stage stand-in: answers from a per-feed script, records every request. */
export function scriptedFetch(answer: (req: FetchRequest, n: number) => FetchResult | Promise<FetchResult>) {
  const calls: FetchRequest[] = [];
  const fetchFeed = async (req: FetchRequest) => {
    calls.push(req);
    return answer(req, calls.filter((c) => c.feedId === req.feedId).length);
  };
  return { fetchFeed, calls };
}

export const ok = (
  stories: Partial<Story>[],
  extra: Partial<Extract<FetchResult, { kind: 'ok' }>> = {},
): FetchResult => ({
  kind: 'ok',
  status: 200,
  text: JSON.stringify(stories),
  finalUrl: 'https://example.com/feed',
  etag: null,
  lastModified: null,
  movedPermanentlyTo: null,
  bytes: 100,
  ...extra,
});

export const httpError = (
  status: number | null,
  extra: Partial<Extract<FetchResult, { kind: 'error' }>> = {},
): FetchResult => ({
  kind: 'error',
  status,
  reason: status ? 'http-error' : 'network',
  message: status ? `The server answered HTTP ${status}.` : 'The server could not be reached.',
  retryAfterMs: null,
  gone: status === 410,
  ...extra,
});

/** A parse stage stand-in for scripted fetches: the text is a JSON array of partial stories. */
export function jsonParse(text: string, opts: { feedId: string; lang: string; now: Date }): ParseResult {
  const items = JSON.parse(text) as Partial<Story>[];
  return {
    feedTitle: null,
    stories: items.map((s, i) => ({
      id: s.id ?? `${opts.feedId}-${i}`,
      feedId: opts.feedId,
      title: s.title ?? `Story ${i}`,
      summary: s.summary ?? '',
      url: s.url ?? null,
      published: s.published ?? opts.now.toISOString(),
      author: null,
      lang: opts.lang,
    })),
    errors: [],
  };
}

/** Records notices as admins would receive them. */
export function noticeBox() {
  const sent: Message[] = [];
  return { sent, notify: (m: Message) => void sent.push(m), titles: () => sent.map((m) => m.title) };
}
