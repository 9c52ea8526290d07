import type BetterSqlite3 from 'better-sqlite3';
import type { FeedState, FeedStateRepo } from '../store.js';

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

function toState(row: FeedStateRow): FeedState {
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

/** What the poller remembers per feed: validators, failures, schedule, notices sent. */
export function createSqliteFeedStateRepo(db: BetterSqlite3.Database): FeedStateRepo {
  const getOne = db.prepare<[string], FeedStateRow>(`${SELECT} WHERE f.feed_id = ?`);
  const listAll = db.prepare<[], FeedStateRow>(`${SELECT} ORDER BY f.feed_id`);
  const upsert = db.prepare(
    `INSERT INTO feed_state (feed_id, url, etag, last_modified, last_poll_at, last_status, last_success_at, last_error_at,
       last_error, consecutive_failures, next_due_at, status, moved_to, notified)
     VALUES (@feedId, @url, @etag, @lastModified, @lastPollAt, @lastStatus, @lastSuccessAt, @lastErrorAt,
       @lastError, @consecutiveFailures, @nextDueAt, @status, @movedTo, @notified)
     ON CONFLICT (feed_id) DO UPDATE SET
       url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
       last_poll_at = excluded.last_poll_at, last_status = excluded.last_status,
       last_success_at = excluded.last_success_at, last_error_at = excluded.last_error_at,
       last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures,
       next_due_at = excluded.next_due_at, status = excluded.status, moved_to = excluded.moved_to,
       notified = excluded.notified`,
  );

  return {
    get(feedId) {
      const row = getOne.get(feedId);
      return row ? toState(row) : null;
    },
    list() {
      return listAll.all().map(toState);
    },
    save(state) {
      const { storyCount: _computed, ...columns } = state;
      upsert.run(columns);
    },
  };
}
