import type { Async } from '../async-store.js';
import {
  StoryAlreadyDeliveredError,
  type Delivery,
  type DigestLedger,
  type LedgerStory,
  type NewDelivery,
  type ScheduleCursor,
} from '../digest-ledger.js';
import {
  deliveryFromRow,
  SCHEDULE_SELECT,
  scheduleFromRow,
  type DeliveryRow,
  type DeliveryStoryRow,
  type ScheduleRow,
} from '../table-rows.js';
import { inTransaction, type Pool, type PoolClient } from './pg-pool.js';

const UNIQUE_VIOLATION = '23505';
/** First key of the per-channel reservation lock ("dlvr"), so it shares no key with other advisory locks. */
const CHANNEL_LOCK_CLASS = 0x646c7672;

type Queryable = Pool | PoolClient;

async function storiesTaken(db: Queryable, channelKey: string, storyIds: string[]): Promise<Set<string>> {
  if (storyIds.length === 0) return new Set();
  const { rows } = await db.query<{ v: string }>(
    'SELECT story_id AS v FROM digest_delivery_stories WHERE channel_key = $1 AND story_id = ANY($2)',
    [channelKey, [...new Set(storyIds)]],
  );
  return new Set(rows.map((r) => r.v));
}

/**
 * The delivery ledger in PostgreSQL, with SQLite's semantics (see digest-ledger.ts).
 * Replicas reserving at once are kept apart by a lock per channel held for the
 * reservation, and by the keys: the delivery id (the second insert of an id finds
 * it and returns false) and (channel, story) (a story already reserved for the
 * channel is refused, as in SQLite).
 */
export class PgDigestLedger implements Async<DigestLedger> {
  constructor(
    private readonly pool: Pool,
    /** This replica's name, kept in the claims of the deliveries it is posting. */
    readonly holder: string,
  ) {}

  /** Expiry on the database's clock, so replicas' clocks need not agree. */
  async claimPost(id: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE digest_deliveries SET post_holder = $2, post_expires_at = now() + make_interval(secs => $3 / 1000.0)
       WHERE id = $1 AND status = 'pending'
         AND (post_holder IS NULL OR post_holder = $2 OR post_expires_at <= now())`,
      [id, this.holder, ttlMs],
    );
    return rowCount === 1;
  }

  async releasePost(id: string): Promise<void> {
    await this.pool.query(
      'UPDATE digest_deliveries SET post_holder = NULL, post_expires_at = NULL WHERE id = $1 AND post_holder = $2',
      [id, this.holder],
    );
  }

  async reserve(delivery: NewDelivery, stories: LedgerStory[]): Promise<boolean> {
    const storyIds = stories.map((s) => s.storyId);
    try {
      return await inTransaction(this.pool, async (client) => {
        // One reservation per channel at a time (replicas included): the check of the channel's
        // stories below then sees every earlier reservation, and none can interleave with it.
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHANNEL_LOCK_CLASS, delivery.channelKey]);
        const inserted = await client.query(
          `INSERT INTO digest_deliveries (id, channel_key, kind, slot, late, message, status, created_at, time_zone)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
          [
            delivery.id,
            delivery.channelKey,
            delivery.kind,
            delivery.slot,
            delivery.late,
            delivery.message ? JSON.stringify(delivery.message) : null,
            delivery.status,
            delivery.createdAt,
            delivery.timeZone ?? null,
          ],
        );
        if (!inserted.rowCount) return false;
        const taken = await storiesTaken(client, delivery.channelKey, storyIds);
        if (taken.size) throw new StoryAlreadyDeliveredError(delivery.channelKey, [...taken]);
        for (const s of stories) {
          await client.query(
            `INSERT INTO digest_delivery_stories (channel_key, story_id, delivery_id, brief_id, cluster_key, role)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [delivery.channelKey, s.storyId, delivery.id, s.briefId, s.clusterKey, s.role],
          );
        }
        return true;
      });
    } catch (err) {
      // A writer that bypasses the channel lock reserved one of these stories after our check.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        const taken = await storiesTaken(this.pool, delivery.channelKey, storyIds);
        if (taken.size) throw new StoryAlreadyDeliveredError(delivery.channelKey, [...taken]);
      }
      throw err;
    }
  }

  async get(id: string): Promise<Delivery | null> {
    const { rows } = await this.pool.query<DeliveryRow>('SELECT * FROM digest_deliveries WHERE id = $1', [id]);
    return rows[0] ? this.toDelivery(rows[0]) : null;
  }

  async pending(channelKey?: string): Promise<Delivery[]> {
    const { rows } = channelKey
      ? await this.pool.query<DeliveryRow>(
          `SELECT * FROM digest_deliveries WHERE status = 'pending' AND channel_key = $1 ORDER BY created_at, seq`,
          [channelKey],
        )
      : await this.pool.query<DeliveryRow>(
          `SELECT * FROM digest_deliveries WHERE status = 'pending' ORDER BY created_at, seq`,
        );
    return Promise.all(rows.map((r) => this.toDelivery(r)));
  }

  async startAttempt(id: string, at: string): Promise<void> {
    await this.pool.query(
      'UPDATE digest_deliveries SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, $1) WHERE id = $2',
      [at, id],
    );
  }

  async recordFailure(id: string, error: string, at: string): Promise<void> {
    await this.pool.query(
      'UPDATE digest_deliveries SET last_error = $1, failing_since = COALESCE(failing_since, $2) WHERE id = $3',
      [error.slice(0, 2000), at, id],
    );
  }

  async markNoticed(id: string, at: string): Promise<void> {
    await this.pool.query('UPDATE digest_deliveries SET noticed_at = COALESCE(noticed_at, $1) WHERE id = $2', [at, id]);
  }

  async markSent(id: string, messageId: string, sentAt: string, late = false): Promise<void> {
    await this.pool.query(
      `UPDATE digest_deliveries SET status = 'sent', message_id = $1, sent_at = $2, last_error = NULL, late = late OR $3 WHERE id = $4`,
      [messageId, sentAt, late, id],
    );
  }

  deliveredStories(channelKey: string, storyIds: string[]): Promise<Set<string>> {
    return storiesTaken(this.pool, channelKey, storyIds);
  }

  async deliveredClusters(channelKey: string, clusterKeys: string[]): Promise<Set<string>> {
    if (clusterKeys.length === 0) return new Set();
    const { rows } = await this.pool.query<{ v: string }>(
      'SELECT DISTINCT cluster_key AS v FROM digest_delivery_stories WHERE channel_key = $1 AND cluster_key = ANY($2)',
      [channelKey, [...new Set(clusterKeys)]],
    );
    return new Set(rows.map((r) => r.v));
  }

  async countAlertsSince(channelKey: string, since: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM digest_deliveries WHERE channel_key = $1 AND kind = 'alert' AND created_at >= $2`,
      [channelKey, since],
    );
    return rows[0]!.n;
  }

  async holdForDigest(channelKey: string, storyIds: string[], at: string): Promise<void> {
    if (storyIds.length === 0) return;
    await this.pool.query(
      `INSERT INTO digest_alert_holds (channel_key, story_id, held_at)
       SELECT $1, id, $3 FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING`,
      // Sorted: two replicas holding the same stories take their rows in one order, so never deadlock.
      [channelKey, [...new Set(storyIds)].sort(), at],
    );
  }

  async heldForDigest(channelKey: string, storyIds: string[]): Promise<Set<string>> {
    if (storyIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ v: string }>(
      'SELECT story_id AS v FROM digest_alert_holds WHERE channel_key = $1 AND story_id = ANY($2)',
      [channelKey, [...new Set(storyIds)]],
    );
    return new Set(rows.map((r) => r.v));
  }

  async getCursor(scheduleKey: string): Promise<ScheduleCursor | null> {
    const { rows } = await this.pool.query<ScheduleRow>(`${SCHEDULE_SELECT} WHERE schedule_key = $1`, [scheduleKey]);
    return rows[0] ? scheduleFromRow(rows[0]) : null;
  }

  async saveCursor(cursor: ScheduleCursor): Promise<void> {
    await this.pool.query(
      `INSERT INTO digest_schedules (schedule_key, channel_key, registered_at, last_slot) VALUES ($1, $2, $3, $4)
       ON CONFLICT (schedule_key) DO UPDATE SET last_slot = excluded.last_slot`,
      [cursor.scheduleKey, cursor.channelKey, cursor.registeredAt, cursor.lastSlot],
    );
  }

  private async toDelivery(row: DeliveryRow): Promise<Delivery> {
    const { rows } = await this.pool.query<DeliveryStoryRow>(
      'SELECT story_id, brief_id, cluster_key, role FROM digest_delivery_stories WHERE delivery_id = $1 ORDER BY seq',
      [row.id],
    );
    return deliveryFromRow(row, rows);
  }
}
