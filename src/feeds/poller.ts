import { schedule, type ScheduledTask } from 'node-cron';
import type { FeedConfig, FeedDefaults } from '../config/schema.js';
import { cronLogger } from '../log/cron-logger.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { AsyncStore } from '../store/async-store.js';
import type { FeedState } from '../store/store.js';
import { isStoreUnavailable } from '../store/store-unavailable.js';
import type { Message } from '../messages/message.js';
import { FeedLeaseKeeper, type FeedLeasing } from './feed-lease-keeper.js';
import { storeBackNotice, storeDownNotice } from './outage-notices.js';
import { fetchFeed } from './fetch-feed.js';
import { CancelledError, HostLimiter, hostOf } from './host-limiter.js';
import { ParseWorkers } from './parse-off-thread.js';
import {
  stateForUrl,
  emptyOutcome,
  intervalOf,
  pollFeed,
  sendPendingDeadNotice,
  waitBeforePolling,
  type FetchFeedFn,
  type NewStoriesHandler,
  type NotifyAdmins,
  type ParseFeedFn,
  type PollDeps,
  type PollOutcome,
  type StoryFilter,
} from './poll-feed.js';

export type {
  FetchFeedFn,
  NewStoriesHandler,
  NotifyAdmins,
  ParseFeedFn,
  PollOutcome,
  StoryFilter,
  WaitReason,
} from './poll-feed.js';

// With leases, how long the feeds' states read for picking candidates serve (recentStates).
const STATES_FRESH_MS = 5_000;

/** The feeds part of the config: read afresh on every tick, so a reloaded config applies at once. */
export interface FeedsConfig {
  defaults: FeedDefaults;
  list: FeedConfig[];
}

export interface PollerOptions {
  store: AsyncStore;
  getFeeds: () => FeedsConfig;
  /** The pipeline's stages; the real ones unless a test injects its own. */
  fetchFeed?: FetchFeedFn;
  parseFeed?: ParseFeedFn;
  /** Per-feed include/exclude (matching's job); dropped stories are not stored. */
  filter?: StoryFilter;
  /** Called after each poll with the ids of stories new to the bot (matcher, digests). */
  onNewStories?: NewStoriesHandler;
  /** Called after every poll, whatever its outcome (matching drains its queue of undecided stories). */
  afterPoll?: () => void;
  /** Posts to admins.notices: one message when a feed dies or keeps failing, one when it recovers. */
  notify?: NotifyAdmins;
  logger?: Logger;
  now?: () => Date;
  random?: () => number;
  /** node-cron expression of the dispatch tick (default every 15 seconds). Each feed still keeps its own interval. */
  tick?: string;
  userAgent?: string;
  failuresBeforeNotice?: number;
  notFoundBeforeDead?: number;
  /**
   * Replicas (the store's feed leases on PostgreSQL): each tick polls only the due
   * feeds this replica could lease, so every feed is polled by one replica per
   * interval. Without it (SQLite: one process) every due feed is polled.
   */
  leases?: FeedLeasing;
  /** How long a lease lasts unless renewed: a dead replica's feeds are taken over after this (default 60 s). */
  leaseTtlMs?: number;
}

export const DEFAULT_TICK = '*/15 * * * * *';

/** A due time every feed meets: `poll --once` leases the feeds it was asked for, due or not. */
const ANY_TIME = '9999-12-31T23:59:59.999Z';

/**
 * Polls every enabled feed on its own interval. node-cron drives a short tick;
 * each tick queues the feeds that are due, and a HostLimiter runs them with
 * bounded concurrency and one request per host at a time. A feed already queued
 * or running is never queued again. Big feeds are parsed in worker threads
 * (parse-off-thread.ts). stop() cancels what is queued, aborts fetches and parses
 * under way, and waits for polls in flight to reach their next step and end.
 */
export class Poller {
  readonly name = 'feed-poller';
  private readonly limiter: HostLimiter;
  private readonly inFlight = new Map<string, Promise<PollOutcome | null>>();
  private task: ScheduledTask | null = null;
  private stopped = false;
  private readonly logger: Logger;
  /** When each dead feed's undelivered notice may be tried again (in memory: a restart simply tries at once). */
  private readonly noticeRetryAt = new Map<string, number>();
  private readonly parsers = new ParseWorkers();
  /** Aborted by stop(): every poll under way sees it. */
  private stopping = new AbortController();
  /** Set while the database is unreachable: logged and told to admins once when it goes, once when it answers again. */
  private storeDown: { since: Date; target: string } | null = null;
  /** With leases: the feeds this replica holds, and an aborter per leased poll (a lost lease ends it). */
  private readonly keeper: FeedLeaseKeeper | undefined;
  private readonly leasedPolls = new Map<string, AbortController>();
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  /** With leases: the feeds' states as last read, and when (see STATES_FRESH_MS). */
  private savedStates: { states: Map<string, FeedState>; readAt: number } | undefined;

  constructor(private readonly options: PollerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.limiter = new HostLimiter(options.getFeeds().defaults.concurrency);
    if (options.leases) {
      this.keeper = new FeedLeaseKeeper(options.leases, options.leaseTtlMs ?? 60_000, this.logger, (feedId) =>
        this.leasedPolls.get(feedId)?.abort(),
      );
    }
  }

  /** Starts the cadence and polls what is due right away. */
  start(): void {
    if (this.task) return;
    this.stopped = false;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.task = schedule(this.options.tick ?? DEFAULT_TICK, () => this.tickLogged(), {
      name: this.name,
      noOverlap: true,
      logger: cronLogger(this.logger),
    });
    void this.tickLogged();
  }

  /** tick(), a failure (the database unreachable) logged: the next tick tries again. */
  private async tickLogged(): Promise<void> {
    await this.tick().catch((err: unknown) => {
      if (!this.storeUnavailable(err)) this.logger.error({ err }, 'could not read the feed states to queue polls');
    });
  }

  /**
   * True when err says the database is unreachable: logged once per outage (not per feed and
   * tick), and no feed is blamed: its state was not saved, so it is polled again once the
   * database answers, and nothing it carried is skipped.
   */
  private storeUnavailable(err: unknown): boolean {
    if (!isStoreUnavailable(err)) return false;
    if (!this.storeDown) {
      this.logger.error({ target: err.target }, `${err.message}; feeds are polled again once it answers`);
      this.storeDown = { since: this.now(), target: err.target };
      this.tellAdmins(storeDownNotice(err));
    }
    return true;
  }

  /** The feed states were read: an outage logged before is over. */
  private storeAnswered(): void {
    if (!this.storeDown) return;
    const { since, target } = this.storeDown;
    this.storeDown = null;
    this.logger.info('the database answers again; polling resumes');
    this.tellAdmins(storeBackNotice(target, since, this.now()));
  }

  /** A notice that needs no feed state: sent once, its failure logged (the log has said it already). */
  private tellAdmins(message: Message): void {
    if (!this.options.notify) return;
    Promise.resolve()
      .then(() => this.options.notify!(message))
      .catch((err: unknown) => this.logger.warn({ err, notice: message.title }, 'could not tell the admins'));
  }

  /**
   * Stops the cadence, drops queued polls, aborts fetches and big parses under way,
   * and resolves once in-flight polls have stopped (each at its next step: between
   * slices of stories stored, or when the new-stories hook returns).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    const task = this.task;
    this.task = null;
    if (task) await task.destroy();
    this.limiter.clearPending();
    await Promise.allSettled([...this.inFlight.values(), this.parsers.close(), this.claiming]);
    // Polls cancelled before saving their state leave their feeds due: other replicas take them at once.
    await this.keeper?.stop();
  }

  /**
   * Queues the enabled feeds that are due now; resolves with their ids. Called by the cron tick.
   * The states are read first, in one call; the queueing after it runs without a pause, so the
   * inFlight checks hold (a feed is never queued twice). With leases, it starts leasing the
   * due feeds (claimDue) and resolves with none: those leased are queued as the store answers.
   */
  async tick(): Promise<string[]> {
    if (this.stopped) return [];
    if (this.keeper) {
      this.claimDue();
      return [];
    }
    const saved = new Map((await this.options.store.feeds.list()).map((s) => [s.feedId, s]));
    this.storeAnswered();
    if (this.stopped) return [];
    const { defaults, list } = this.options.getFeeds();
    this.limiter.concurrency = defaults.concurrency;
    const now = this.now().toISOString();
    const queued: string[] = [];
    for (const feed of list) {
      if (!feed.enabled || this.inFlight.has(feed.id)) continue;
      const state = stateForUrl(saved.get(feed.id), feed);
      if (state.status === 'dead') {
        if (state.notified !== 'dead' && this.options.notify) this.retryDeadNotice(feed, defaults);
        continue;
      }
      if (state.nextDueAt !== null && state.nextDueAt > now) continue;
      void this.enqueue(feed);
      queued.push(feed.id);
    }
    return queued;
  }

  /**
   * Polls each enabled feed once now (`dealbot poll --once`), and resolves with every
   * outcome in config order. Dead feeds are reported, not fetched. With honourBackoff,
   * a failing feed whose backoff or Retry-After has not run out is reported as waiting
   * and not asked; without it (`--force`, tests) every feed is polled, due or not.
   * Beside running replicas (with leases) each feed is leased first, due or not, and one
   * a replica is polling at this moment is reported as waiting for it, not fetched twice.
   */
  async pollOnce(
    feeds?: FeedConfig[],
    onProgress?: (outcome: PollOutcome) => void,
    options: { honourBackoff?: boolean } = {},
  ): Promise<PollOutcome[]> {
    const { defaults, list } = this.options.getFeeds();
    this.limiter.concurrency = defaults.concurrency;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    const chosen = (feeds ?? list).filter((f) => f.enabled);
    const saved = new Map((await this.options.store.feeds.list()).map((s) => [s.feedId, s]));
    const plans = chosen.map((feed) => {
      const state = stateForUrl(saved.get(feed.id), feed);
      return { feed, state, wait: options.honourBackoff ? waitBeforePolling(feed, state, defaults, this.now()) : null };
    });
    const polled = new Set(plans.filter((p) => !p.wait && !this.inFlight.has(p.feed.id)).map((p) => p.feed.id));
    const leased = this.keeper ? new Set(await this.keeper.take([...polled], polled.size, ANY_TIME)) : null;
    const runs = plans.map(async ({ feed, state, wait: backoff }) => {
      const wait =
        backoff ??
        (leased && polled.has(feed.id) && !leased.has(feed.id)
          ? { until: null, reason: 'another replica' as const }
          : null);
      const outcome = wait
        ? {
            ...emptyOutcome(feed, 'waiting', state.lastError),
            status: state.lastStatus,
            nextDueAt: wait.until,
            waitingFor: wait.reason,
          }
        : await (this.inFlight.get(feed.id) ?? this.enqueue(feed, false));
      if (outcome) onProgress?.(outcome);
      return outcome;
    });
    return (await Promise.all(runs)).filter((o): o is PollOutcome => o !== null);
  }

  /**
   * Leases due feeds and queues them: at most twice the concurrency held at once, so
   * replicas share the feeds rather than the first to tick taking all of them; each
   * poll that ends leases more (so one replica alone still polls every due feed).
   * Calls while one runs make it run once more afterwards.
   */
  private claimDue(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.leaseDue()
      .catch((err: unknown) => {
        if (!this.storeUnavailable(err))
          this.logger.error({ err }, 'could not lease due feeds; trying again at the next tick');
      })
      .finally(() => {
        this.claiming = undefined;
        if (this.claimAgain && !this.stopped) {
          this.claimAgain = false;
          this.claimDue();
        }
      });
  }

  private async leaseDue(): Promise<void> {
    const keeper = this.keeper!;
    const { defaults, list } = this.options.getFeeds();
    this.limiter.concurrency = defaults.concurrency;
    const room = defaults.concurrency * 2 - keeper.size;
    if (room <= 0) return;
    const now = this.now().toISOString();
    const candidates = new Map<string, FeedConfig>();
    const saved = await this.recentStates();
    for (const feed of list) {
      if (!feed.enabled || this.inFlight.has(feed.id) || keeper.has(feed.id)) continue;
      const state = stateForUrl(saved.get(feed.id), feed);
      if (state.status === 'dead') {
        if (state.notified !== 'dead' && this.options.notify) this.retryDeadNotice(feed, defaults);
        continue;
      }
      // The store checks again under the lease (by this clock): this only spares it the feeds surely not due.
      if (state.nextDueAt !== null && state.nextDueAt > now) continue;
      candidates.set(feed.id, feed);
    }
    const taken = await keeper.take([...candidates.keys()], room, now);
    for (const id of taken) {
      const feed = candidates.get(id)!;
      if (this.stopped || this.inFlight.has(id)) {
        await keeper.release(id);
        continue;
      }
      void this.enqueue(feed);
    }
  }

  /**
   * Every feed's state, read at most every STATES_FRESH_MS: leasing runs after each poll,
   * and reading a thousand states each time cost a replica more CPU than its polls. A
   * state read a moment ago only picks candidates; the store takes only feeds due by
   * their saved state under the lease, so a stale one never makes a feed polled twice.
   */
  private async recentStates(): Promise<Map<string, FeedState>> {
    const at = performance.now();
    if (!this.savedStates || at - this.savedStates.readAt > STATES_FRESH_MS) {
      const states = new Map((await this.options.store.feeds.list()).map((s) => [s.feedId, s]));
      this.savedStates = { states, readAt: at };
    }
    this.storeAnswered();
    return this.savedStates.states;
  }

  /** Feeds queued or being polled right now. */
  get busy(): string[] {
    return [...this.inFlight.keys()];
  }

  private retryDeadNotice(feed: FeedConfig, defaults: FeedDefaults): void {
    const now = this.now().getTime();
    if ((this.noticeRetryAt.get(feed.id) ?? 0) > now) return;
    this.noticeRetryAt.set(feed.id, now + intervalOf(feed, defaults));
    // Beside replicas the notice is sent under the feed's lease: whoever holds it reads the saved
    // state again (sendPendingDeadNotice), so a notice another replica just sent is not sent twice.
    const keeper = this.keeper;
    const send = async () => {
      if (keeper && (await keeper.take([feed.id], 1, ANY_TIME)).length === 0) return;
      try {
        await sendPendingDeadNotice(feed, this.deps());
      } finally {
        await keeper?.release(feed.id);
      }
    };
    const run = send()
      .then(() => null)
      .catch((err: unknown) => {
        if (!this.storeUnavailable(err))
          this.logger.error({ err, feed: feed.id }, 'could not retry the dead-feed notice');
        return null;
      })
      .finally(() => this.inFlight.delete(feed.id));
    this.inFlight.set(feed.id, run);
  }

  private enqueue(feed: FeedConfig, claimMore = true): Promise<PollOutcome | null> {
    const leased = this.keeper?.has(feed.id) ? new AbortController() : undefined;
    if (leased) this.leasedPolls.set(feed.id, leased);
    const deps = this.deps();
    if (leased) deps.signal = AbortSignal.any([this.stopping.signal, leased.signal]);
    const run = this.limiter
      .run(hostOf(feed.url), () => pollFeed(feed, deps))
      .then(
        (outcome) => {
          this.logger.info(
            {
              feed: feed.id,
              kind: outcome.kind,
              status: outcome.status,
              inserted: outcome.inserted,
              updated: outcome.updated,
              ms: Math.round(outcome.durationMs),
              // Where the time went: the network, the parse, storing, deciding the new stories.
              fetchMs: Math.round(outcome.timings.fetch),
              parseMs: Math.round(outcome.timings.parse),
              storeMs: Math.round(outcome.timings.store),
              matchMs: Math.round(outcome.timings.match),
            },
            outcome.kind === 'error' ? `feed failed: ${outcome.error}` : 'feed polled',
          );
          return outcome;
        },
        (err: unknown): PollOutcome | null => {
          if (err instanceof CancelledError) return null;
          // The database down: not the feed's failure (its state is unchanged, so it is polled again).
          if (this.storeUnavailable(err)) return emptyOutcome(feed, 'error', (err as Error).message);
          // A bug or a database error: report it as this feed's failure, keep the others going.
          this.logger.error({ err, feed: feed.id }, 'poll failed unexpectedly');
          return emptyOutcome(feed, 'error', `dealbot failed while polling: ${(err as Error).message}`);
        },
      )
      .finally(async () => {
        if (leased) {
          // After the poll saved the feed's state: the replica leasing it next sees its next due time.
          this.leasedPolls.delete(feed.id);
          await this.keeper!.release(feed.id);
        }
        this.inFlight.delete(feed.id);
        this.options.afterPoll?.();
        // Leasing polls lease more as each ends; `poll --once` polls only what it chose.
        if (leased && claimMore) this.claimDue();
      });
    this.inFlight.set(feed.id, run);
    return run;
  }

  private deps(): PollDeps {
    const o = this.options;
    return {
      store: o.store,
      defaults: o.getFeeds().defaults,
      fetchFeed: o.fetchFeed ?? fetchFeed,
      parseFeed: o.parseFeed ?? this.parsers.parse,
      filter: o.filter,
      onNewStories: o.onNewStories,
      notify: o.notify,
      logger: this.logger,
      now: () => this.now(),
      random: o.random ?? Math.random,
      userAgent: o.userAgent ?? `dealbot/0.1 (+${o.getFeeds().defaults.user_agent_contact})`,
      failuresBeforeNotice: o.failuresBeforeNotice ?? 3,
      notFoundBeforeDead: o.notFoundBeforeDead ?? 5,
      signal: this.stopping.signal,
    };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
