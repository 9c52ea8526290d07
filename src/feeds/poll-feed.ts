import type { FeedConfig, FeedDefaults } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Message } from '../messages/message.js';
import type { AsyncStore } from '../store/async-store.js';
import { emptyUpsertResult, type FeedState, type UpsertResult } from '../store/store.js';
import type { Story } from '../store/story.js';
import { backoffCeiling, failureDelay, successDelay } from './backoff.js';
import {
  fetchFailure,
  type FetchFailure,
  type FetchRequest,
  type FetchResult,
  type ParseOptions,
  type ParseResult,
} from './feed-types.js';
import { deadFeedNotice, failingFeedNotice, recoveredFeedNotice } from './feed-notices.js';
import { CancelledError } from './host-limiter.js';
import { inSlices } from './time-slices.js';

/**
 * One poll of one feed: fetch → parse → filter → store → state → notices → new-story hook.
 * Stories are filtered and stored in slices with a turn of the event loop between
 * them (time-slices.ts), so a 15,000-item feed never holds the bot for long; each
 * slice is one transaction, and a story enters the undecided queue with it, so a
 * stop or crash between slices loses nothing (the feed's state, saved after the
 * last slice, still lacks the new ETag, so the next poll reads the feed again).
 * When deps.signal aborts (the bot stops), the poll ends at the next step with
 * CancelledError and the feed's state is left as it was.
 */

export type FetchFeedFn = (req: FetchRequest) => Promise<FetchResult>;
export type ParseFeedFn = (text: string, opts: ParseOptions) => ParseResult | Promise<ParseResult>;

/**
 * Hook for per-feed include/exclude filters (owned by matching). Stories it drops
 * are not stored. The poller only calls it; what the config's patterns mean is
 * the filter's business.
 */
export type StoryFilter = (story: Story, feed: FeedConfig) => FilterVerdict | Promise<FilterVerdict>;

const KEEP: FilterVerdict = { keep: true };

/** A filter's answer for one story; a filter that records what it drops answers those with a Promise. */
export interface FilterVerdict {
  keep: boolean;
  reason?: string;
}

/**
 * Told after each poll which stories were new; backlog ones are listed apart and are never to be digested.
 * The poll waits for it (its time is the poll's match time), so a long one should yield as it goes.
 */
export type NewStoriesHandler = (
  storyIds: string[],
  info: { feedId: string; backlogIds: string[] },
) => void | Promise<void>;

/** Returns false when the notice could not be delivered for an expected reason (nowhere to post). */
export type NotifyAdmins = (message: Message) => void | boolean | Promise<void | boolean>;

export interface PollDeps {
  store: AsyncStore;
  defaults: FeedDefaults;
  fetchFeed: FetchFeedFn;
  parseFeed: ParseFeedFn;
  filter?: StoryFilter;
  onNewStories?: NewStoriesHandler;
  /**
   * Posts a message to admins. Without it, or when it returns false (no notices
   * channel configured), nothing is recorded as told, so admins hear it later.
   */
  notify?: NotifyAdmins;
  logger: Logger;
  now: () => Date;
  random: () => number;
  userAgent: string;
  /** FetchFailures in a row before admins are told (default 3). */
  failuresBeforeNotice: number;
  /** 404s in a row (counting the failures before) that make a feed dead (default 5). */
  notFoundBeforeDead: number;
  /** Aborted when the bot stops: the fetch is cancelled and the poll stops between steps. */
  signal?: AbortSignal;
}

/** Where a poll's time went, in ms: fetch is the network, parse the feed text, store the filter and the database, match the new-stories hook. */
export interface PollTimings {
  fetch: number;
  parse: number;
  store: number;
  match: number;
}

export interface PollOutcome {
  feedId: string;
  url: string;
  /**
   * dead: not fetched, the feed is dead (until its URL changes).
   * waiting: not fetched, a failing feed's backoff or the server's Retry-After runs until nextDueAt.
   */
  kind: 'ok' | 'not-modified' | 'error' | 'dead' | 'waiting';
  status: number | null;
  inserted: number;
  updated: number;
  backlog: number;
  filtered: number;
  /** Plain words when kind is error or dead. */
  error: string | null;
  movedTo: string | null;
  nextDueAt: string | null;
  /** Why a waiting feed waits. */
  waitingFor?: WaitReason;
  /** The whole poll, deciding the new stories included. */
  durationMs: number;
  timings: PollTimings;
}

/** A failing feed's backoff, the server's Retry-After, or (beside replicas) another replica polling it now. */
export type WaitReason = 'backoff' | 'Retry-After' | 'another replica';

/**
 * Why a failing feed may not be asked again before its nextDueAt, or null when it is due.
 * A healthy feed is never held back: only failures (and the server's Retry-After) park a feed.
 */
export function waitBeforePolling(
  feed: FeedConfig,
  state: FeedState,
  defaults: FeedDefaults,
  now: Date,
): { until: string; reason: WaitReason } | null {
  if (state.status !== 'failing' || state.nextDueAt === null || Date.parse(state.nextDueAt) <= now.getTime())
    return null;
  const delay = Date.parse(state.nextDueAt) - Date.parse(state.lastPollAt ?? state.nextDueAt);
  const ceiling = backoffCeiling(intervalOf(feed, defaults), state.consecutiveFailures);
  return { until: state.nextDueAt, reason: delay > ceiling + 1000 ? 'Retry-After' : 'backoff' };
}

/** The state of a feed never polled at this URL. Notices already sent carry over, so admins hear when a new URL works. */
export function freshFeedState(feed: Pick<FeedConfig, 'id' | 'url'>, previous: FeedState | null): FeedState {
  return {
    feedId: feed.id,
    url: feed.url,
    etag: null,
    lastModified: null,
    lastPollAt: null,
    lastStatus: null,
    lastSuccessAt: null,
    lastErrorAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextDueAt: null,
    status: 'new',
    movedTo: null,
    notified: previous?.notified ?? null,
    storyCount: previous?.storyCount ?? 0,
  };
}

/** The feed's state for its current config URL (a changed URL starts afresh). */
export async function currentFeedState(store: AsyncStore, feed: FeedConfig): Promise<FeedState> {
  return stateForUrl(await store.feeds.get(feed.id), feed);
}

/** The saved state if it is for the feed's current config URL, else a fresh one. */
export function stateForUrl(saved: FeedState | null | undefined, feed: FeedConfig): FeedState {
  return saved && saved.url === feed.url ? saved : freshFeedState(feed, saved ?? null);
}

export async function pollFeed(feed: FeedConfig, deps: PollDeps): Promise<PollOutcome> {
  const started = performance.now();
  const state = await currentFeedState(deps.store, feed);
  const outcome: PollOutcome = {
    ...emptyOutcome(feed, 'dead', state.lastError),
    status: state.lastStatus,
    movedTo: state.movedTo,
  };
  if (state.status === 'dead') return outcome;

  const now = deps.now();
  const timings = outcome.timings;
  const result = await fetchSafely(feed, state, deps);
  timings.fetch = performance.now() - started;
  stopIfAborted(deps);
  let next: FeedState;
  let newIds: string[] = [];
  let backlogIds: string[] = [];

  if (result.kind === 'error') {
    next = failed(feed, state, result, now, deps);
  } else {
    let parseFetchFailure: FetchFailure | null = null;
    if (result.kind === 'ok') {
      const stored = await parseAndStore(feed, state, result, now, deps, timings);
      if ('failure' in stored) parseFetchFailure = stored.failure;
      else {
        Object.assign(outcome, {
          inserted: stored.inserted,
          updated: stored.updated,
          backlog: stored.backlogIds.length,
          filtered: stored.filtered,
        });
        newIds = stored.insertedIds;
        backlogIds = stored.backlogIds;
      }
    }
    next = parseFetchFailure
      ? failed(feed, state, { ...parseFetchFailure, status: result.status }, now, deps)
      : {
          ...state,
          ...(result.kind === 'ok' ? { etag: result.etag, lastModified: result.lastModified } : {}),
          lastPollAt: now.toISOString(),
          lastStatus: result.status,
          lastSuccessAt: now.toISOString(),
          consecutiveFailures: 0,
          status: 'ok',
          movedTo: result.movedPermanentlyTo,
          nextDueAt: new Date(now.getTime() + successDelay(intervalOf(feed, deps.defaults), deps.random)).toISOString(),
        };
  }

  next = await sendNotice(feed, state, next, deps);
  // Read at the start of the poll, saved whole here: the poller polls a feed once at a time
  // (its inFlight map), so nothing else writes this feed's state in between.
  await deps.store.feeds.save(next);

  Object.assign(outcome, {
    kind: next.status === 'ok' ? (result.kind === 'not-modified' ? 'not-modified' : 'ok') : 'error',
    status: next.lastStatus,
    error: next.status === 'ok' ? null : next.lastError,
    movedTo: next.movedTo,
    nextDueAt: next.status === 'dead' ? null : next.nextDueAt,
  });
  if (newIds.length && deps.onNewStories) {
    const matching = performance.now();
    try {
      await deps.onNewStories(newIds, { feedId: feed.id, backlogIds });
    } catch (err) {
      deps.logger.error({ err, feed: feed.id }, 'new-stories handler failed');
    }
    timings.match = performance.now() - matching;
  }
  // The whole time the feed held its slot: fetch, parse, store and match.
  outcome.durationMs = performance.now() - started;
  return outcome;
}

/** A poll that stored nothing: the start of every outcome, and a failure's whole outcome. */
export function emptyOutcome(feed: FeedConfig, kind: PollOutcome['kind'], error: string | null): PollOutcome {
  return {
    feedId: feed.id,
    url: feed.url,
    kind,
    status: null,
    inserted: 0,
    updated: 0,
    backlog: 0,
    filtered: 0,
    error,
    movedTo: null,
    nextDueAt: null,
    durationMs: 0,
    timings: { fetch: 0, parse: 0, store: 0, match: 0 },
  };
}

/**
 * A dead feed is never fetched again, so a dead-feed notice that could not go
 * out when it died (no notices channel yet, chat down) is retried from here.
 */
export async function sendPendingDeadNotice(feed: FeedConfig, deps: PollDeps): Promise<boolean> {
  const state = await currentFeedState(deps.store, feed);
  if (state.status !== 'dead' || state.notified === 'dead' || !deps.notify) return false;
  const next = await sendNotice(feed, state, state, deps);
  if (next.notified === state.notified) return false;
  await deps.store.feeds.save(next);
  return true;
}

export function intervalOf(feed: FeedConfig, defaults: FeedDefaults): number {
  return feed.poll_interval ?? defaults.poll_interval;
}

async function fetchSafely(feed: FeedConfig, state: FeedState, deps: PollDeps): Promise<FetchResult> {
  try {
    return await deps.fetchFeed({
      feedId: feed.id,
      url: feed.url,
      etag: state.etag,
      lastModified: state.lastModified,
      timeoutMs: deps.defaults.timeout,
      maxBytes: deps.defaults.max_bytes,
      maxRedirects: deps.defaults.max_redirects,
      userAgent: deps.userAgent,
      allowPrivateNetwork: deps.defaults.allow_private_network,
      signal: deps.signal,
    });
  } catch (err) {
    // The fetch stage reports failures as results; a throw is a bug, but it must not stop the poller.
    deps.logger.error({ err, feed: feed.id }, 'fetchFeed threw');
    return fetchFailure('internal', `dealbot failed while fetching: ${(err as Error).message}`);
  }
}

/** Throws CancelledError once the bot is stopping: the poll ends here and leaves the feed's state as it was. */
function stopIfAborted(deps: PollDeps): void {
  if (deps.signal?.aborted) throw new CancelledError('the poll was stopped');
}

async function parseAndStore(
  feed: FeedConfig,
  state: FeedState,
  result: Extract<FetchResult, { kind: 'ok' }>,
  now: Date,
  deps: PollDeps,
  timings: PollTimings,
): Promise<({ filtered: number } & UpsertResult) | { failure: FetchFailure }> {
  let parsed: ParseResult;
  const parsing = performance.now();
  try {
    parsed = await deps.parseFeed(result.text, {
      feedId: feed.id,
      baseUrl: result.finalUrl,
      lang: feed.language,
      now,
      signal: deps.signal,
    });
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    parsed = { feedTitle: null, stories: [], errors: [(err as Error).message] };
  }
  timings.parse = performance.now() - parsing;
  stopIfAborted(deps);
  if (parsed.errors.length)
    deps.logger.warn({ feed: feed.id, errors: parsed.errors.slice(0, 5) }, 'feed parsed with problems');
  if (parsed.stories.length === 0 && parsed.errors.length > 0) {
    return {
      failure: fetchFailure(
        'not-a-feed',
        `the server answered but dealbot could not read a feed in it: ${parsed.errors[0]}; check that the URL points at an RSS or Atom feed`,
        result.status,
      ),
    };
  }
  // Only the first successful poll of a feed (at this URL) files old items as backlog.
  const backlogBefore =
    state.lastSuccessAt === null ? new Date(now.getTime() - deps.defaults.backlog_age).toISOString() : null;
  const total: { filtered: number } & UpsertResult = { filtered: 0, ...emptyUpsertResult() };
  const storing = performance.now();
  try {
    await inSlices(
      parsed.stories,
      async (slice) => {
        const kept: Story[] = [];
        for (const story of slice) {
          const s = story.feedId === feed.id ? story : { ...story, feedId: feed.id };
          let verdict = deps.filter ? deps.filter(s, feed) : KEEP;
          // Awaited only when a Promise: a kept story costs no turn of the microtask queue.
          if (verdict instanceof Promise) verdict = await verdict;
          if (verdict.keep) kept.push(s);
          else total.filtered++;
        }
        addUp(total, await deps.store.stories.upsert(kept, { seenAt: now.toISOString(), backlogBefore }));
      },
      { signal: deps.signal },
    );
  } finally {
    timings.store = performance.now() - storing;
  }
  return total;
}

function addUp(total: UpsertResult, part: UpsertResult): void {
  total.inserted += part.inserted;
  total.updated += part.updated;
  total.unchanged += part.unchanged;
  total.insertedIds.push(...part.insertedIds);
  total.backlogIds.push(...part.backlogIds);
  total.updatedIds.push(...part.updatedIds);
}

function failed(feed: FeedConfig, state: FeedState, result: FetchFailure, now: Date, deps: PollDeps): FeedState {
  const failures = state.consecutiveFailures + 1;
  const dead = result.gone || (result.status === 404 && failures >= deps.notFoundBeforeDead);
  const why = sentence(result.message);
  return {
    ...state,
    lastPollAt: now.toISOString(),
    lastStatus: result.status,
    lastErrorAt: now.toISOString(),
    lastError: dead ? `${why} dealbot polls it again only once its URL changes in the config.` : why,
    consecutiveFailures: failures,
    status: dead ? 'dead' : 'failing',
    nextDueAt: dead
      ? null
      : new Date(
          now.getTime() + failureDelay(intervalOf(feed, deps.defaults), failures, result.retryAfterMs, deps.random),
        ).toISOString(),
  };
}

/** "the server answered 404…" → "The server answered 404….": errors read as sentences in tables and notices. */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return 'Unknown error.';
  return `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?)]$/.test(t) ? '' : '.'}`;
}

/** Sends at most one notice per change of state; records it only once it went out. */
async function sendNotice(feed: FeedConfig, before: FeedState, next: FeedState, deps: PollDeps): Promise<FeedState> {
  if (!deps.notify) return next;
  let message: Message | null = null;
  let notified: FeedState['notified'] = next.notified;
  if (next.status === 'dead' && before.notified !== 'dead') {
    message = deadFeedNotice(feed, next);
    notified = 'dead';
  } else if (
    next.status === 'failing' &&
    next.consecutiveFailures >= deps.failuresBeforeNotice &&
    before.notified !== 'failing'
  ) {
    message = failingFeedNotice(feed, next);
    notified = 'failing';
  } else if (next.status === 'ok' && before.notified !== null) {
    message = recoveredFeedNotice(feed, next);
    notified = null;
  }
  if (!message) return next;
  try {
    if ((await deps.notify(message)) === false) return next;
    return { ...next, notified };
  } catch (err) {
    deps.logger.error({ err, feed: feed.id }, 'could not send the feed notice to admins; will retry on the next poll');
    return next;
  }
}
