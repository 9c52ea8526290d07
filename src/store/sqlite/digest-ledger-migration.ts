/**
 * The delivery ledger's tables, as one migration to append to the SQLite
 * store's migrations list. The primary key of digest_delivery_stories is what
 * guarantees that no story reaches a channel twice.
 */
export const DIGEST_LEDGER_MIGRATION_SQL = `
CREATE TABLE digest_deliveries (
  id          TEXT PRIMARY KEY,
  channel_key TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('digest', 'alert')),
  slot        TEXT,
  late        INTEGER NOT NULL DEFAULT 0,
  message     TEXT,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'quiet')),
  created_at  TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  sent_at     TEXT,
  message_id  TEXT
);
CREATE INDEX digest_deliveries_channel ON digest_deliveries (channel_key, status, created_at);

CREATE TABLE digest_delivery_stories (
  channel_key TEXT NOT NULL,
  story_id    TEXT NOT NULL,
  delivery_id TEXT NOT NULL REFERENCES digest_deliveries (id) ON DELETE CASCADE,
  brief_id    TEXT NOT NULL,
  cluster_key TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('shown', 'more', 'folded')),
  PRIMARY KEY (channel_key, story_id)
);
CREATE INDEX digest_delivery_stories_delivery ON digest_delivery_stories (delivery_id);
CREATE INDEX digest_delivery_stories_cluster ON digest_delivery_stories (channel_key, cluster_key);

CREATE TABLE digest_alert_holds (
  channel_key TEXT NOT NULL,
  story_id    TEXT NOT NULL,
  held_at     TEXT NOT NULL,
  PRIMARY KEY (channel_key, story_id)
);

CREATE TABLE digest_schedules (
  schedule_key  TEXT PRIMARY KEY,
  channel_key   TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  last_slot     TEXT
);
`;
