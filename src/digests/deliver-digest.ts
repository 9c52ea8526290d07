import type { ChatAdapter, PostReceipt } from '../messages/chat-adapter.js';
import type { Logger } from '../log/logger.js';
import type { Message } from '../messages/message.js';
import type { Delivery, DigestLedger } from '../store/digest-ledger.js';
import { DEFAULT_RETRY, sleep, type RetryPolicy } from './retry-backoff.js';

/** A channel on a platform, as the config's digests entries name it. */
export interface ChannelRef {
  platform: string;
  channel: string;
}

export const channelKeyOf = (c: ChannelRef): string => `${c.platform}:${c.channel}`;

export interface DelivererDeps {
  ledger: DigestLedger;
  adapterFor: (platform: string) => ChatAdapter | undefined;
  logger: Logger;
  now: () => Date;
  retry?: RetryPolicy;
  /** Told once when a delivery gives up after its retries (it stays pending), so a failing channel is not silent. */
  notifyAdmins?: (message: Message) => Promise<unknown>;
}

export interface FlushResult {
  sent: Delivery[];
  /** Still pending (the platform kept failing, or no adapter): retried later. */
  pending: Delivery[];
}

/**
 * The posting half of the ledger protocol. Deliveries are already reserved
 * (story set and message fixed); this posts them in order with their id as the
 * idempotency key and marks them sent on the platform's receipt. Before
 * re-posting a delivery that may have reached the platform (an attempt was
 * started), it asks the adapter's findPosted, so a crash between the platform
 * accepting and the ledger recording does not double a post.
 */
export class DigestDeliverer {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly aborter = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: DelivererDeps) {}

  /**
   * Runs fn with the channel to itself, so a digest, an alert and a manual send
   * never reserve or post for one channel at the same time.
   */
  withChannel<T>(channel: ChannelRef, fn: () => Promise<T>): Promise<T> {
    const key = channelKeyOf(channel);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    this.inFlight.add(tail);
    void tail.finally(() => {
      this.inFlight.delete(tail);
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  /** Posts the channel's pending deliveries, oldest first; stops at one that keeps failing so order holds. Call inside withChannel. */
  async flush(channel: ChannelRef): Promise<FlushResult> {
    const result: FlushResult = { sent: [], pending: [] };
    const queue = this.deps.ledger.pending(channelKeyOf(channel));
    const adapter = this.deps.adapterFor(channel.platform);
    if (!adapter) {
      if (queue.length)
        this.deps.logger.warn(
          { channel: channelKeyOf(channel), pending: queue.length },
          'no adapter for this platform is running; deliveries stay pending',
        );
      return { sent: [], pending: queue };
    }
    for (let i = 0; i < queue.length; i++) {
      const ok = await this.send(queue[i]!, channel, adapter);
      const latest = this.deps.ledger.get(queue[i]!.id)!;
      if (ok) result.sent.push(latest);
      else {
        result.pending.push(latest, ...queue.slice(i + 1));
        break;
      }
    }
    return result;
  }

  /** Stops retry waits; deliveries left pending are picked up on the next start. */
  async stop(): Promise<void> {
    this.aborter.abort(new Error('deliverer stopped'));
    await Promise.allSettled([...this.inFlight]);
  }

  get stopped(): boolean {
    return this.aborter.signal.aborted;
  }

  private async send(delivery: Delivery, channel: ChannelRef, adapter: ChatAdapter): Promise<boolean> {
    const { ledger, logger } = this.deps;
    const delays = (this.deps.retry ?? DEFAULT_RETRY).delaysMs;
    const log = logger.child({ delivery: delivery.id, channel: delivery.channelKey, kind: delivery.kind });
    for (let retry = 0; ; retry++) {
      if (this.stopped) return false;
      try {
        const receipt = await this.postOnce(delivery.id, channel, adapter, log);
        ledger.markSent(delivery.id, receipt.messageId, this.deps.now().toISOString());
        log.info({ messageId: receipt.messageId, late: delivery.late }, 'delivered');
        return true;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        ledger.recordFailure(delivery.id, message);
        const delay = delays[retry];
        if (delay === undefined || this.stopped) {
          log.error(
            { err: message, attempts: retry + 1 },
            'post failed; the delivery stays pending and is retried at the next delivery or restart',
          );
          if (!this.stopped) this.tellAdmins(delivery, message, log);
          return false;
        }
        log.warn({ err: message, retryInMs: delay }, 'post failed; retrying');
        try {
          await sleep(delay, this.aborter.signal);
        } catch {
          return false;
        }
      }
    }
  }

  private tellAdmins(delivery: Delivery, error: string, log: Logger): void {
    if (!this.deps.notifyAdmins) return;
    const notice: Message = {
      title: `A ${delivery.kind} for ${delivery.channelKey} could not be posted`,
      sections: [
        {
          items: [
            { text: `The platform said: ${error}` },
            {
              text: "Nothing is lost: it stays pending and is posted, in order, before that channel's next post or when the bot restarts.",
            },
            {
              text: 'Check that the bot is still in the channel, may post there, and that its token is valid; npx dealbot digest --channel ID --send-now retries at once.',
            },
          ],
        },
      ],
      tone: 'warning',
    };
    // A notice that cannot be posted either (the same platform is down) is only logged.
    this.deps
      .notifyAdmins(notice)
      .catch((err: unknown) => log.warn({ err }, 'could not tell the admins about the failed post'));
  }

  /** One attempt: look for an earlier post that may have landed, else post with the same key. */
  private async postOnce(id: string, channel: ChannelRef, adapter: ChatAdapter, log: Logger): Promise<PostReceipt> {
    const current = this.deps.ledger.get(id)!;
    if (current.attempts > 0) {
      if (adapter.findPosted) {
        const found = await adapter.findPosted(channel.channel, id, { since: new Date(current.createdAt) });
        if (found) {
          log.info({ messageId: found.messageId }, 'found the post of an earlier attempt; not posting again');
          return found;
        }
      } else {
        log.warn('re-posting after an interrupted attempt; this platform cannot tell whether the first one landed');
      }
    }
    if (!current.message) throw new Error(`delivery ${id} has no message to post`);
    this.deps.ledger.startAttempt(id);
    return adapter.postToChannel(channel.channel, current.message, { idempotencyKey: id });
  }
}
