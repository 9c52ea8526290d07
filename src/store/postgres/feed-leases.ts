import type { Async } from '../async-store.js';
import type { FeedLease, FeedLeaseRepo } from '../store.js';
import type { Pool } from './pg-pool.js';

/**
 * Feed leases: with several replicas on one database, each due feed is polled by
 * one of them. A replica takes the feeds that are due and not held (or whose
 * holder let the lease expire: it died or hung), polls them, renews the lease
 * while a poll runs long, and releases each feed once its new state is saved,
 * so a replica taking it afterwards already sees its next due time.
 *
 * Times: `now` is the caller's clock when given (tests, and a poller that keeps
 * its own clock); otherwise the database's, which all replicas share.
 */
export type { FeedLease } from '../store.js';

export interface TakeOptions {
  /** The feeds this replica would poll (configured, not dead): the lease table knows no config. */
  feedIds: string[];
  /** At most this many at a time. */
  limit: number;
  /** How long the lease lasts unless renewed. */
  ttlMs: number;
  now?: string;
  /**
   * Feeds due by this time are taken (default: `now`). The poller passes its own clock:
   * next_due_at was written by a replica's clock, so that is the clock to read it by
   * (and a test's fake clock applies); leases expire by the database's, which all share.
   */
  dueBy?: string;
}

export class FeedLeases implements Async<FeedLeaseRepo> {
  constructor(
    private readonly pool: Pool,
    /** This replica's name (host and process), kept in the lease so admins can see who holds a feed. */
    readonly holder: string,
  ) {}

  /**
   * Leases up to `limit` of `feedIds` that are due (feed_state.next_due_at is
   * unset or past) and free (no holder, or an expired lease), oldest due first.
   * Rows another replica is taking at this moment are skipped (FOR UPDATE SKIP
   * LOCKED), never waited for, so replicas split the due feeds between them.
   */
  async take(options: TakeOptions): Promise<FeedLease[]> {
    if (options.feedIds.length === 0 || options.limit <= 0) return [];
    const ids = [...new Set(options.feedIds)];
    await this.pool.query(
      'INSERT INTO feed_leases (feed_id) SELECT unnest($1::text[]) ON CONFLICT (feed_id) DO NOTHING',
      [ids],
    );
    // One statement (one round trip), atomic as the transaction it replaces: the due, free rows
    // locked and numbered in order, then leased. The time to the millisecond, as a JS Date gives it.
    const { rows } = await this.pool.query<{ feed_id: string; expires_at: Date; n: number }>({
      name: 'feedLeases.take',
      text: `WITH t AS (SELECT COALESCE($2::timestamptz, date_trunc('milliseconds', now())) AS now),
         picked AS (
           SELECT l.feed_id, f.next_due_at FROM t, feed_leases l LEFT JOIN feed_state f ON f.feed_id = l.feed_id
           WHERE l.feed_id = ANY($1)
             AND (l.holder IS NULL OR l.expires_at <= t.now)
             AND (f.next_due_at IS NULL OR f.next_due_at::timestamptz <= COALESCE($6::timestamptz, t.now))
           ORDER BY f.next_due_at NULLS FIRST, l.feed_id
           LIMIT $3
           FOR UPDATE OF l SKIP LOCKED
         ),
         ordered AS (SELECT feed_id, row_number() OVER (ORDER BY next_due_at NULLS FIRST, feed_id) AS n FROM picked)
       UPDATE feed_leases l SET holder = $4, expires_at = t.now + make_interval(secs => $5 / 1000.0)
       FROM ordered, t WHERE l.feed_id = ordered.feed_id
       RETURNING l.feed_id, l.expires_at, ordered.n`,
      values: [ids, options.now ?? null, Math.floor(options.limit), this.holder, options.ttlMs, options.dueBy ?? null],
    });
    return rows
      .sort((a, b) => a.n - b.n)
      .map((r) => ({ feedId: r.feed_id, holder: this.holder, expiresAt: r.expires_at.toISOString() }));
  }

  /**
   * Extends this replica's leases on `feedIds`; returns the feeds still held. A
   * feed missing from the answer was taken over (this replica was too slow): stop
   * working on it rather than save a state the new holder will overwrite.
   */
  async renew(feedIds: string[], ttlMs: number, now?: string): Promise<string[]> {
    if (feedIds.length === 0) return [];
    const at = await this.nowOf(this.pool, now);
    const { rows } = await this.pool.query<{ feed_id: string }>(
      `UPDATE feed_leases SET expires_at = $1::timestamptz + make_interval(secs => $2 / 1000.0)
       WHERE holder = $3 AND feed_id = ANY($4) RETURNING feed_id`,
      [at, ttlMs, this.holder, feedIds],
    );
    return rows.map((r) => r.feed_id).sort();
  }

  /** Gives up this replica's leases on `feedIds` (after saving their state); another replica's are left alone. */
  async release(feedIds: string[]): Promise<void> {
    if (feedIds.length === 0) return;
    await this.pool.query(
      'UPDATE feed_leases SET holder = NULL, expires_at = NULL WHERE holder = $1 AND feed_id = ANY($2)',
      [this.holder, feedIds],
    );
  }

  /** Who holds each feed now (expired leases included, with their time), for admins and tests. */
  async holders(): Promise<FeedLease[]> {
    const { rows } = await this.pool.query<{ feed_id: string; holder: string; expires_at: Date }>(
      'SELECT feed_id, holder, expires_at FROM feed_leases WHERE holder IS NOT NULL ORDER BY feed_id',
    );
    return rows.map((r) => ({ feedId: r.feed_id, holder: r.holder, expiresAt: r.expires_at.toISOString() }));
  }

  private async nowOf(db: Pick<Pool, 'query'>, now: string | undefined): Promise<string> {
    if (now !== undefined) return now;
    const { rows } = await db.query<{ now: Date }>('SELECT now() AS now');
    return rows[0]!.now.toISOString();
  }
}
