import type { Async } from '../async-store.js';
import type { FeedState, FeedStateRepo } from '../store.js';
import { FEED_STATE_SELECT as SELECT, feedStateFromRow, type FeedStateRow } from '../table-rows.js';
import type { Pool } from './pg-pool.js';

/** The columns of feed_state in the order of the upsert's parameters. */
export const FEED_STATE_COLUMNS = [
  'feed_id',
  'url',
  'etag',
  'last_modified',
  'last_poll_at',
  'last_status',
  'last_success_at',
  'last_error_at',
  'last_error',
  'consecutive_failures',
  'next_due_at',
  'status',
  'moved_to',
  'notified',
] as const;

export function feedStateParams(s: FeedState): unknown[] {
  return [
    s.feedId,
    s.url,
    s.etag,
    s.lastModified,
    s.lastPollAt,
    s.lastStatus,
    s.lastSuccessAt,
    s.lastErrorAt,
    s.lastError,
    s.consecutiveFailures,
    s.nextDueAt,
    s.status,
    s.movedTo,
    s.notified,
  ];
}

/** INSERT … ON CONFLICT DO UPDATE of one feed's state; `onlyIfChanged` leaves an identical row untouched. */
export function feedStateUpsertSql(onlyIfChanged = false): string {
  const cols = FEED_STATE_COLUMNS.join(', ');
  const values = FEED_STATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  const rest = FEED_STATE_COLUMNS.slice(1);
  return `INSERT INTO feed_state AS t (${cols}) VALUES (${values})
    ON CONFLICT (feed_id) DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}
    ${onlyIfChanged ? `WHERE (${rest.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `excluded.${c}`).join(', ')})` : ''}`;
}

/** What the poller remembers per feed, in PostgreSQL. */
export function createPgFeedStateRepo(pool: Pool): Async<FeedStateRepo> {
  const upsert = feedStateUpsertSql();
  return {
    async get(feedId) {
      const { rows } = await pool.query<FeedStateRow>(`${SELECT} WHERE f.feed_id = $1`, [feedId]);
      return rows[0] ? feedStateFromRow(rows[0]) : null;
    },
    async list() {
      const { rows } = await pool.query<FeedStateRow>(`${SELECT} ORDER BY f.feed_id`);
      return rows.map(feedStateFromRow);
    },
    async save(state) {
      await pool.query(upsert, feedStateParams(state));
    },
  };
}
