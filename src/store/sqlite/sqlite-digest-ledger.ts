import type { Database, Statement } from 'better-sqlite3';
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

/** SQLite's limit on bound parameters is 32766; stay well under it. */
const CHUNK = 500;

/** The delivery ledger over the tables of DIGEST_LEDGER_MIGRATION_SQL. */
export class SqliteDigestLedger implements DigestLedger {
  constructor(private readonly db: Database) {}

  reserve(delivery: NewDelivery, stories: LedgerStory[]): boolean {
    const insert = this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM digest_deliveries WHERE id = ?').get(delivery.id);
      if (exists) return false;
      const taken = this.deliveredStories(
        delivery.channelKey,
        stories.map((s) => s.storyId),
      );
      if (taken.size) throw new StoryAlreadyDeliveredError(delivery.channelKey, [...taken]);
      this.db
        .prepare(
          `INSERT INTO digest_deliveries (id, channel_key, kind, slot, late, message, status, created_at, time_zone)
           VALUES (@id, @channelKey, @kind, @slot, @late, @message, @status, @createdAt, @timeZone)`,
        )
        .run({
          ...delivery,
          timeZone: delivery.timeZone ?? null,
          late: delivery.late ? 1 : 0,
          message: delivery.message ? JSON.stringify(delivery.message) : null,
        });
      const addStory = this.db.prepare(
        `INSERT INTO digest_delivery_stories (channel_key, story_id, delivery_id, brief_id, cluster_key, role)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      for (const s of stories)
        addStory.run(delivery.channelKey, s.storyId, delivery.id, s.briefId, s.clusterKey, s.role);
      return true;
    });
    return insert.immediate();
  }

  get(id: string): Delivery | null {
    const row = this.db.prepare('SELECT * FROM digest_deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
    return row ? this.toDelivery(row) : null;
  }

  pending(channelKey?: string): Delivery[] {
    const rows = (
      channelKey
        ? this.db
            .prepare(
              `SELECT * FROM digest_deliveries WHERE status = 'pending' AND channel_key = ? ORDER BY created_at, rowid`,
            )
            .all(channelKey)
        : this.db.prepare(`SELECT * FROM digest_deliveries WHERE status = 'pending' ORDER BY created_at, rowid`).all()
    ) as DeliveryRow[];
    return rows.map((r) => this.toDelivery(r));
  }

  startAttempt(id: string, at: string): void {
    this.db
      .prepare(
        'UPDATE digest_deliveries SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?',
      )
      .run(at, id);
  }

  recordFailure(id: string, error: string, at: string): void {
    this.db
      .prepare('UPDATE digest_deliveries SET last_error = ?, failing_since = COALESCE(failing_since, ?) WHERE id = ?')
      .run(error.slice(0, 2000), at, id);
  }

  markNoticed(id: string, at: string): void {
    this.db.prepare('UPDATE digest_deliveries SET noticed_at = COALESCE(noticed_at, ?) WHERE id = ?').run(at, id);
  }

  markSent(id: string, messageId: string, sentAt: string, late = false): void {
    this.db
      .prepare(
        `UPDATE digest_deliveries SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, late = MAX(late, ?) WHERE id = ?`,
      )
      .run(messageId, sentAt, late ? 1 : 0, id);
  }

  deliveredStories(channelKey: string, storyIds: string[]): Set<string> {
    return this.inChunks(
      storyIds,
      (ids) =>
        this.statement(
          `SELECT story_id AS v FROM digest_delivery_stories WHERE channel_key = ? AND story_id IN (${ids.map(() => '?').join(',')})`,
        ).all(channelKey, ...ids) as { v: string }[],
    );
  }

  deliveredClusters(channelKey: string, clusterKeys: string[]): Set<string> {
    return this.inChunks(
      clusterKeys,
      (keys) =>
        this.statement(
          `SELECT DISTINCT cluster_key AS v FROM digest_delivery_stories WHERE channel_key = ? AND cluster_key IN (${keys.map(() => '?').join(',')})`,
        ).all(channelKey, ...keys) as { v: string }[],
    );
  }

  countAlertsSince(channelKey: string, since: string): number {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM digest_deliveries WHERE channel_key = ? AND kind = 'alert' AND created_at >= ?`,
      )
      .get(channelKey, since) as { n: number };
    return row.n;
  }

  holdForDigest(channelKey: string, storyIds: string[], at: string): void {
    const add = this.db.prepare(
      'INSERT OR IGNORE INTO digest_alert_holds (channel_key, story_id, held_at) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => storyIds.forEach((id) => add.run(channelKey, id, at)))();
  }

  heldForDigest(channelKey: string, storyIds: string[]): Set<string> {
    return this.inChunks(
      storyIds,
      (ids) =>
        this.db
          .prepare(
            `SELECT story_id AS v FROM digest_alert_holds WHERE channel_key = ? AND story_id IN (${ids.map(() => '?').join(',')})`,
          )
          .all(channelKey, ...ids) as { v: string }[],
    );
  }

  getCursor(scheduleKey: string): ScheduleCursor | null {
    // Every digest preview and scheduler tick asks: the statement is prepared once.
    const row = this.statement(`${SCHEDULE_SELECT} WHERE schedule_key = ?`).get(scheduleKey) as ScheduleRow | undefined;
    return row ? scheduleFromRow(row) : null;
  }

  saveCursor(cursor: ScheduleCursor): void {
    this.db
      .prepare(
        `INSERT INTO digest_schedules (schedule_key, channel_key, registered_at, last_slot) VALUES (@scheduleKey, @channelKey, @registeredAt, @lastSlot)
         ON CONFLICT (schedule_key) DO UPDATE SET last_slot = excluded.last_slot`,
      )
      .run(cursor);
  }

  private toDelivery(row: DeliveryRow): Delivery {
    // Each pending delivery is read on every pass of its channel's queue: prepared once.
    const stories = this.statement(
      'SELECT story_id, brief_id, cluster_key, role FROM digest_delivery_stories WHERE delivery_id = ? ORDER BY rowid',
    ).all(row.id) as DeliveryStoryRow[];
    return deliveryFromRow(row, stories);
  }

  // Look-ups by many ids run on every digest, alert sweep and preview: each shape is prepared once.
  private readonly statements = new Map<string, Statement>();

  private statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  private inChunks(values: string[], query: (chunk: string[]) => { v: string }[]): Set<string> {
    const out = new Set<string>();
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += CHUNK) for (const r of query(unique.slice(i, i + CHUNK))) out.add(r.v);
    return out;
  }
}
