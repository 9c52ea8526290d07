import type { Async } from '../async-store.js';
import type { FeedState, FeedStateRepo } from '../store.js';
import type { Pool } from './pg-pool.js';

interface FeedStateRow {
  feed_id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: string | null;
  last_status: number | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_due_at: string | null;
  status: FeedState['status'];
  moved_to: string | null;
  notified: FeedState['notified'];
  story_count: number;
}

const SELECT = `SELECT f.*, (SELECT COUNT(*) FROM story_feeds sf WHERE sf.feed_id = f.feed_id) AS story_count FROM feed_state f`;

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

export function toFeedState(row: FeedStateRow): FeedState {
  return {
    feedId: row.feed_id,
    url: row.url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastPollAt: row.last_poll_at,
    lastStatus: row.last_status,
    lastSuccessAt: row.last_success_at,
    lastErrorAt: row.last_error_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    nextDueAt: row.next_due_at,
    status: row.status,
    movedTo: row.moved_to,
    notified: row.notified,
    storyCount: row.story_count,
  };
}

/** What the poller remembers per feed, in PostgreSQL. */
export function createPgFeedStateRepo(pool: Pool): Async<FeedStateRepo> {
  const upsert = feedStateUpsertSql();
  return {
    async get(feedId) {
      const { rows } = await pool.query<FeedStateRow>(`${SELECT} WHERE f.feed_id = $1`, [feedId]);
      return rows[0] ? toFeedState(rows[0]) : null;
    },
    async list() {
      const { rows } = await pool.query<FeedStateRow>(`${SELECT} ORDER BY f.feed_id`);
      return rows.map(toFeedState);
    },
    async save(state) {
      await pool.query(upsert, feedStateParams(state));
    },
  };
}
