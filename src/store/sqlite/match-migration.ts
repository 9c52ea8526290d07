/**
 * Matching's tables, as one migration appended to the SQLite store's list:
 * the decision for every stored story (relevant, score, brief, reasons, event
 * cluster) and the stories a feed's filter dropped before they were stored, so
 * `dealbot why` can say what happened to either.
 */
export const MATCH_MIGRATION_SQL = `
CREATE TABLE story_matches (
  story_id     TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
  decided_at   TEXT NOT NULL,
  relevant     INTEGER NOT NULL,
  score        REAL NOT NULL,
  brief_id     TEXT,
  brief_score  REAL NOT NULL,
  reasons      TEXT NOT NULL,           -- JSON array of strings
  cluster_key  TEXT                     -- stories about one event share it (a story id)
);
CREATE INDEX story_matches_brief ON story_matches (brief_id, score);
CREATE INDEX story_matches_cluster ON story_matches (cluster_key);

CREATE TABLE filtered_stories (
  story_id    TEXT PRIMARY KEY,
  url         TEXT,
  feed_id     TEXT NOT NULL,
  title       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX filtered_stories_url ON filtered_stories (url);
`;
