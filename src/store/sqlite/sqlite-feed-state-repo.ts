import type BetterSqlite3 from 'better-sqlite3';
import type { FeedStateRepo } from '../store.js';
import { FEED_STATE_SELECT as SELECT, feedStateFromRow, type FeedStateRow } from '../table-rows.js';

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
      return row ? feedStateFromRow(row) : null;
    },
    list() {
      return listAll.all().map(feedStateFromRow);
    },
    save(state) {
      const { storyCount: _computed, ...columns } = state;
      upsert.run(columns);
    },
  };
}
