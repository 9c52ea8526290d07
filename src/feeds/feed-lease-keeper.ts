import type { Logger } from '../log/logger.js';

/**
 * What the poller needs of the store's feed leases (PostgreSQL's FeedLeases,
 * src/store/postgres/feed-leases.ts): with several replicas on one database,
 * each due feed is polled by one of them. Expiry is on the database's clock.
 */
export interface FeedLeasing {
  /** Leases up to `limit` of `feedIds` that are due and free (or whose lease expired); returns those taken. */
  take(options: { feedIds: string[]; limit: number; ttlMs: number; dueBy?: string }): Awaitable<{ feedId: string }[]>;
  /** Extends this replica's leases; returns the feeds still held (one missing was taken over). */
  renew(feedIds: string[], ttlMs: number): Awaitable<string[]>;
  /** Gives up this replica's leases (after saving the feeds' new state). */
  release(feedIds: string[]): Awaitable<void>;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The feeds this replica holds leases on, renewed every third of the lease's
 * length while their polls are queued or running, so a long poll (or a long
 * queue behind a slow host) keeps its feeds; a feed whose lease was lost (this
 * replica stalled past the expiry and another took it over) is handed to
 * `onLost`, and the poller stops working on it.
 */
export class FeedLeaseKeeper {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  /** Set while renewals fail (warned once per streak). */
  private renewFailing = false;

  constructor(
    private readonly leasing: FeedLeasing,
    readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly onLost: (feedId: string) => void,
  ) {}

  get size(): number {
    return this.held.size;
  }

  has(feedId: string): boolean {
    return this.held.has(feedId);
  }

  /** Takes what it can of `feedIds` due by `dueBy` (at most `limit`); returns the ids taken, in the order the store gave them. */
  async take(feedIds: string[], limit: number, dueBy?: string): Promise<string[]> {
    if (feedIds.length === 0 || limit <= 0) return [];
    const options = { feedIds, limit, ttlMs: this.ttlMs, ...(dueBy ? { dueBy } : {}) };
    const taken = (await this.leasing.take(options)).map((l) => l.feedId);
    for (const id of taken) this.held.add(id);
    if (this.held.size && !this.timer) this.startRenewing();
    return taken;
  }

  /** Gives the lease up; failing to (the database is away) only delays the next replica until it expires. */
  async release(feedId: string): Promise<void> {
    if (!this.held.delete(feedId)) return;
    if (this.held.size === 0) this.stopRenewing();
    try {
      await this.leasing.release([feedId]);
    } catch (err) {
      this.logger.warn(
        { err, feed: feedId },
        'could not release the feed lease; another replica takes it when it expires',
      );
    }
  }

  /** Stops renewing and releases every lease held (the bot stops: other replicas take the feeds at once). */
  async stop(): Promise<void> {
    this.stopRenewing();
    await this.renewing;
    const ids = [...this.held];
    this.held.clear();
    if (ids.length) await Promise.resolve(this.leasing.release(ids)).catch(() => undefined);
  }

  private startRenewing(): void {
    this.timer = setInterval(
      () => {
        this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    this.timer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    const ids = [...this.held];
    if (!ids.length) return;
    let kept: string[];
    try {
      kept = await this.leasing.renew(ids, this.ttlMs);
    } catch (err) {
      // The database is away: the leases may lapse; the next renewal tells which were lost.
      // Once per streak: every renewal fails alike until it answers.
      if (!this.renewFailing) this.logger.warn({ err, feeds: ids.length }, 'could not renew the feed leases');
      this.renewFailing = true;
      return;
    }
    this.renewFailing = false;
    const still = new Set(kept);
    for (const id of ids) {
      // Released meanwhile (the poll ended): not lost.
      if (still.has(id) || !this.held.has(id)) continue;
      this.held.delete(id);
      this.logger.warn({ feed: id }, 'lost the lease on this feed (another replica took it over); stopping its poll');
      this.onLost(id);
    }
  }
}
