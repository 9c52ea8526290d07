import type { Async } from '../store/async-store.js';
import { ChatPermissionError, type ChatAdapter, type PostReceipt } from '../messages/chat-adapter.js';
import type { Logger } from '../log/logger.js';
import type { Message } from '../messages/message.js';
import type { Delivery, DigestLedger } from '../store/digest-ledger.js';
import { describeError, failingNotice, permissionNotice, recoveredNotice } from './delivery-notices.js';
import { atPostTime } from './post-time.js';
import { DEFAULT_RETRY, retryDelay, sleep, type RetryPolicy } from './retry-backoff.js';

/** A channel on a platform, as the config's digests entries name it. */
export interface ChannelRef {
  platform: string;
  channel: string;
}

export const channelKeyOf = (c: ChannelRef): string => `${c.platform}:${c.channel}`;

/** Admins hear of a post that has kept failing this long (once per delivery). */
export const NOTICE_AFTER_MS = 10 * 60_000;

export interface DelivererDeps {
  ledger: Async<DigestLedger>;
  adapterFor: (platform: string) => ChatAdapter | undefined;
  logger: Logger;
  now: () => Date;
  retry?: RetryPolicy;
  /**
   * Tells the admins: once when a delivery has kept failing for NOTICE_AFTER_MS (at once
   * when a permission is missing), once more when it goes through. Notices have their
   * own queue (bot/admin-notices.ts); this only hands them over.
   */
  notifyAdmins?: (message: Message) => unknown;
  noticeAfterMs?: number;
  /**
   * Replicas (a ledger with claimPost, PostgreSQL): how long this replica's claim on
   * a delivery it posts lasts; a replica that dies mid-post is taken over after this
   * (default 60 s).
   */
  claimTtlMs?: number;
}

/** Claims last this long unless the deliverer is told otherwise (storage.lease). */
export const DEFAULT_CLAIM_TTL_MS = 60_000;

export interface FlushResult {
  sent: Delivery[];
  /** Still pending (the platform kept failing, or no adapter): retried later. */
  pending: Delivery[];
}

/** One channel's queue: at most one worker posts its pending deliveries, oldest first. */
interface ChannelQueue {
  channel: ChannelRef;
  /** The worker's run; settles when the queue is empty, the retry policy gave up, or the deliverer stopped. */
  run: Promise<FlushResult> | null;
  sent: Delivery[];
  /** The worker is waiting to retry its head delivery. */
  waiting: boolean;
  /** Callers of post() waiting for the worker to be empty or waiting. */
  settled: (() => void)[];
}

/**
 * The posting half of the ledger protocol. Deliveries are already reserved
 * (story set and message fixed); each channel has its own queue that posts them
 * in order with their id as the idempotency key and marks them sent on the
 * platform's receipt, retrying on its own schedule, so a failing channel holds up
 * only itself. Before re-posting a delivery that may have reached the platform (an
 * attempt was started), it asks the adapter's findPosted, looking back to the first
 * attempt, so a crash between the platform accepting and the ledger recording does
 * not double a post.
 */
export class DigestDeliverer {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly aborter = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: DelivererDeps) {}

  /**
   * Runs fn with the channel to itself, so a digest, an alert and a manual send
   * never reserve for one channel at the same time. Keep fn short: posting happens
   * in the channel's queue, outside this lock.
   */
  withChannel<T>(channel: ChannelRef, fn: () => Promise<T>): Promise<T> {
    const key = channelKeyOf(channel);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    this.track(tail);
    void tail.finally(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  /**
   * Wakes the channel's queue and resolves once it is empty or waiting to retry a
   * failure: the retries go on in the background without holding up the caller
   * (or any other channel).
   */
  post(channel: ChannelRef): Promise<FlushResult> {
    const q = this.queueOf(channel);
    this.wake(q);
    if (q.waiting) return this.snapshot(q);
    return new Promise((resolve) => q.settled.push(() => resolve(this.snapshot(q))));
  }

  /** Wakes the channel's queue and resolves when it is empty, the retry policy gave up, or the deliverer stopped. */
  flush(channel: ChannelRef): Promise<FlushResult> {
    const q = this.queueOf(channel);
    this.wake(q);
    return q.run!;
  }

  /** Stops retry waits; deliveries left pending are picked up on the next start. */
  async stop(): Promise<void> {
    this.aborter.abort(new Error('deliverer stopped'));
    await Promise.allSettled([...this.inFlight]);
  }

  get stopped(): boolean {
    return this.aborter.signal.aborted;
  }

  private queueOf(channel: ChannelRef): ChannelQueue {
    const key = channelKeyOf(channel);
    let q = this.queues.get(key);
    if (!q) {
      q = { channel, run: null, sent: [], waiting: false, settled: [] };
      this.queues.set(key, q);
    }
    return q;
  }

  private wake(q: ChannelQueue): void {
    if (q.run) return;
    q.sent = [];
    const run = this.drain(q).finally(() => {
      q.run = null;
      q.waiting = false;
      this.settle(q);
    });
    q.run = run;
    this.track(run);
  }

  private async snapshot(q: ChannelQueue): Promise<FlushResult> {
    const sent = [...q.sent];
    return { sent, pending: await this.deps.ledger.pending(channelKeyOf(q.channel)) };
  }

  private settle(q: ChannelQueue): void {
    for (const done of q.settled.splice(0)) done();
  }

  private track(p: Promise<unknown>): void {
    const quiet = p.catch(() => undefined);
    this.inFlight.add(quiet);
    void quiet.finally(() => this.inFlight.delete(quiet));
  }

  /** The worker: posts the head of the queue until it is empty; a failing head is retried on the policy's schedule. */
  private async drain(q: ChannelQueue): Promise<FlushResult> {
    const { ledger, logger } = this.deps;
    const key = channelKeyOf(q.channel);
    const adapter = this.deps.adapterFor(q.channel.platform);
    if (!adapter) {
      const pending = await ledger.pending(key);
      if (pending.length)
        logger.warn(
          { channel: key, pending: pending.length },
          'no adapter for this platform is running; deliveries stay pending',
        );
      return { sent: [], pending };
    }
    const policy = this.deps.retry ?? DEFAULT_RETRY;
    let head: string | undefined;
    let failures = 0;
    while (!this.stopped) {
      const delivery = (await ledger.pending(key))[0];
      if (!delivery) break;
      if (delivery.id !== head) [head, failures] = [delivery.id, 0];
      const log = logger.child({ delivery: delivery.id, channel: key, kind: delivery.kind });
      const ttl = this.deps.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
      if (ledger.claimPost && !(await ledger.claimPost(delivery.id, ttl))) {
        // Another replica is posting it (or died doing so, and its claim runs out): look again shortly.
        log.info('another replica is posting this delivery; looking again shortly');
        q.waiting = true;
        this.settle(q);
        try {
          await sleep(Math.max(50, Math.floor(ttl / 4)), this.aborter.signal);
        } catch {
          break;
        } finally {
          q.waiting = false;
        }
        continue;
      }
      let outcome: 'sent' | 'failed' | 'refused';
      try {
        outcome = await this.attempt(delivery, q.channel, adapter, log);
      } finally {
        // The outcome is recorded: another replica may take the next attempt (after a failure).
        await ledger.releasePost?.(delivery.id);
      }
      if (outcome === 'sent') {
        q.sent.push((await ledger.get(delivery.id))!);
        continue;
      }
      // Seconds of retrying cannot grant a permission: a person waiting (no repeatLast) hears at once.
      const delay = outcome === 'refused' && !policy.repeatLast ? undefined : retryDelay(policy, failures);
      failures++;
      if (delay === undefined || this.stopped) {
        log.error(
          { err: (await ledger.get(delivery.id))?.lastError, attempts: failures },
          'post failed; the delivery stays pending and the running bot retries it (or the next start)',
        );
        break;
      }
      log.warn({ err: (await ledger.get(delivery.id))?.lastError, retryInMs: delay }, 'post failed; retrying');
      q.waiting = true;
      this.settle(q);
      try {
        await this.waitToRetry(delivery.id, delay, log);
      } catch {
        break;
      } finally {
        q.waiting = false;
      }
    }
    return { sent: [...q.sent], pending: await ledger.pending(key) };
  }

  /** Waits `delay`; if the delivery's notice falls due meanwhile, tells the admins then, not at the next attempt. */
  private async waitToRetry(id: string, delay: number, log: Logger): Promise<void> {
    const current = await this.deps.ledger.get(id);
    const now = this.deps.now().getTime();
    if (current && !current.noticedAt && current.failingSince) {
      const noticeAt = Date.parse(current.failingSince) + (this.deps.noticeAfterMs ?? NOTICE_AFTER_MS);
      if (noticeAt > now && noticeAt < now + delay) {
        await sleep(noticeAt - now, this.aborter.signal);
        await this.noticeIfDue(id, log);
        await sleep(now + delay - noticeAt, this.aborter.signal);
        return;
      }
    }
    await sleep(delay, this.aborter.signal);
  }

  /** One attempt: sent (the platform has it, the ledger says so), failed, or refused for a missing permission. */
  private async attempt(
    delivery: Delivery,
    channel: ChannelRef,
    adapter: ChatAdapter,
    log: Logger,
  ): Promise<'sent' | 'failed' | 'refused'> {
    const { ledger } = this.deps;
    try {
      const { receipt, late } = await this.postOnce(delivery.id, channel, adapter, log);
      const sentAt = this.deps.now();
      await ledger.markSent(delivery.id, receipt.messageId, sentAt.toISOString(), late);
      log.info({ messageId: receipt.messageId, late }, 'delivered');
      const sent = (await ledger.get(delivery.id))!;
      if (sent.noticedAt) this.tellAdmins(recoveredNotice(sent, sentAt), log);
      return 'sent';
    } catch (err) {
      await ledger.recordFailure(delivery.id, describeError(err), this.deps.now().toISOString());
      if (err instanceof ChatPermissionError) {
        log.error({ err: err.message, permission: err.permission }, 'the platform refuses a permission the bot needs');
        const current = (await ledger.get(delivery.id))!;
        if (!current.noticedAt) {
          await ledger.markNoticed(delivery.id, this.deps.now().toISOString());
          this.tellAdmins(permissionNotice(current, err), log);
        }
        return 'refused';
      }
      await this.noticeIfDue(delivery.id, log);
      return 'failed';
    }
  }

  /**
   * Tells the admins once that a delivery keeps failing, when it has for NOTICE_AFTER_MS.
   * Read, then marked: only the channel's one worker (drain) handles its deliveries, so
   * no other call marks this one between the awaits.
   */
  private async noticeIfDue(id: string, log: Logger): Promise<void> {
    const current = await this.deps.ledger.get(id);
    if (!current || current.status !== 'pending' || current.noticedAt || !current.failingSince) return;
    const failingFor = this.deps.now().getTime() - Date.parse(current.failingSince);
    if (failingFor < (this.deps.noticeAfterMs ?? NOTICE_AFTER_MS)) return;
    await this.deps.ledger.markNoticed(id, this.deps.now().toISOString());
    this.tellAdmins(failingNotice(current, current.lastError ?? 'no answer', failingFor), log);
  }

  private tellAdmins(notice: Message, log: Logger): void {
    if (!this.deps.notifyAdmins) {
      log.warn({ notice: notice.title }, 'admin notice (no way to post it is set up)');
      return;
    }
    Promise.resolve()
      .then(() => this.deps.notifyAdmins!(notice))
      .catch((err: unknown) => log.warn({ err, notice: notice.title }, 'could not hand the notice to the admins'));
  }

  /** One attempt: look for an earlier post that may have landed, else post with the same key. */
  private async postOnce(
    id: string,
    channel: ChannelRef,
    adapter: ChatAdapter,
    log: Logger,
  ): Promise<{ receipt: PostReceipt; late: boolean }> {
    const current = (await this.deps.ledger.get(id))!;
    if (current.attempts > 0) {
      if (adapter.findPosted) {
        // The adapter allows for clock differences itself; the reservation time is the fallback (always earlier).
        const since = new Date(current.firstAttemptAt ?? current.createdAt);
        const found = await adapter.findPosted(channel.channel, id, { since });
        if (found) {
          log.info({ messageId: found.messageId }, 'found the post of an earlier attempt; not posting again');
          return { receipt: found, late: current.late };
        }
      } else {
        log.warn('re-posting after an interrupted attempt; this platform cannot tell whether the first one landed');
      }
    }
    if (!current.message) throw new Error(`delivery ${id} has no message to post`);
    const now = this.deps.now();
    const { message, late } = atPostTime(current, current.message, now);
    await this.deps.ledger.startAttempt(id, now.toISOString());
    const receipt = await adapter.postToChannel(channel.channel, message, { idempotencyKey: id });
    return { receipt, late };
  }
}
