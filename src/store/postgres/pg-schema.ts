/**
 * PostgreSQL's first schema version: the SQLite store's tables as they stand at
 * SQLite version 7 (stories, feed memberships, feed state, the delivery ledger
 * with its attempt times, match decisions with event notes, the undecided queue,
 * filtered stories), less SQLite 6's stored events, which came in PostgreSQL
 * version 3 (pg-events-schema.ts). Times stay ISO 8601 UTC text, as in SQLite,
 * so both engines give back the very strings they were given and text order is
 * time order. Columns that are sorted or compared by range are COLLATE "C": byte
 * order, as SQLite compares, whatever the database's locale.
 */
export const PG_SCHEMA_V1 = `
-- Full-text search: language-neutral ('simple': no stop words, every language kept as
-- written) except that plain ASCII words are stemmed in English, as SQLite's porter
-- tokenizer does, so "tariff" finds "tariffs" on both engines.
CREATE TEXT SEARCH DICTIONARY dealbot_english_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION dealbot_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION dealbot_search
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH dealbot_english_stem;

CREATE TABLE stories (
  seq         BIGSERIAL PRIMARY KEY,     -- insertion order: the undecided queue and ties in "recent"
  id          TEXT NOT NULL UNIQUE,
  feed_id     TEXT NOT NULL,
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  url         TEXT,
  published   TEXT,
  author      TEXT,
  lang        TEXT NOT NULL,
  first_seen  TEXT COLLATE "C" NOT NULL,
  updated_at  TEXT,
  backlog     BOOLEAN NOT NULL DEFAULT FALSE,
  sort_time   TEXT COLLATE "C" NOT NULL,             -- published, else first_seen
  search      TSVECTOR NOT NULL          -- title (weight A) and summary (B), CJK cut into bigrams
);
CREATE UNIQUE INDEX stories_url ON stories (url) WHERE url IS NOT NULL;
CREATE INDEX stories_sort_time ON stories (sort_time DESC, seq DESC);
CREATE INDEX stories_first_seen ON stories (first_seen);
CREATE INDEX stories_search ON stories USING GIN (search);

CREATE TABLE story_feeds (
  story_id    TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  feed_id     TEXT COLLATE "C" NOT NULL,
  first_seen  TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (story_id, feed_id)
);
CREATE INDEX story_feeds_feed ON story_feeds (feed_id);

CREATE TABLE feed_state (
  feed_id              TEXT COLLATE "C" PRIMARY KEY,
  url                  TEXT NOT NULL,
  etag                 TEXT,
  last_modified        TEXT,
  last_poll_at         TEXT,
  last_status          INTEGER,
  last_success_at      TEXT,
  last_error_at        TEXT,
  last_error           TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_due_at          TEXT,
  status               TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'failing', 'dead')),
  moved_to             TEXT,
  notified             TEXT CHECK (notified IN ('failing', 'dead'))
);

CREATE TABLE digest_deliveries (
  seq              BIGSERIAL UNIQUE,     -- insertion order, for ties in created_at
  id               TEXT PRIMARY KEY,
  channel_key      TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('digest', 'alert')),
  slot             TEXT,
  late             BOOLEAN NOT NULL DEFAULT FALSE,
  message          TEXT,                 -- the Message as JSON text, byte for byte what SQLite keeps
  status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'quiet')),
  created_at       TEXT COLLATE "C" NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  sent_at          TEXT,
  message_id       TEXT,
  first_attempt_at TEXT,
  failing_since    TEXT,
  noticed_at       TEXT,
  time_zone        TEXT
);
CREATE INDEX digest_deliveries_channel ON digest_deliveries (channel_key, status, created_at);

-- The primary key is what guarantees that no story reaches a channel twice.
CREATE TABLE digest_delivery_stories (
  seq         BIGSERIAL UNIQUE,          -- a delivery's stories keep the order they were reserved in
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
CREATE INDEX digest_delivery_stories_story ON digest_delivery_stories (story_id);

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

CREATE TABLE story_matches (
  story_id     TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
  decided_at   TEXT NOT NULL,
  relevant     BOOLEAN NOT NULL,
  score        DOUBLE PRECISION NOT NULL,
  brief_id     TEXT,
  brief_score  DOUBLE PRECISION NOT NULL,
  reasons      TEXT NOT NULL,            -- JSON array of strings
  cluster_key  TEXT,
  event_note   TEXT
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

-- The stories matching has not decided yet, kept by triggers in the same transaction
-- as the rows they follow (as in SQLite): a crash between storing and deciding leaves
-- the story queued, and reading the queue costs what is in it.
CREATE TABLE undecided_stories (
  seq       BIGINT PRIMARY KEY,          -- stories.seq: read oldest first
  story_id  TEXT NOT NULL UNIQUE
);
CREATE FUNCTION dealbot_undecided_on_story_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO undecided_stories (seq, story_id)
    SELECT NEW.seq, NEW.id WHERE NOT EXISTS (SELECT 1 FROM story_matches m WHERE m.story_id = NEW.id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER undecided_on_story_insert AFTER INSERT ON stories
  FOR EACH ROW EXECUTE FUNCTION dealbot_undecided_on_story_insert();
CREATE FUNCTION dealbot_undecided_on_decision_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM undecided_stories WHERE story_id = NEW.story_id;
  RETURN NULL;
END $$;
CREATE TRIGGER undecided_on_decision_insert AFTER INSERT ON story_matches
  FOR EACH ROW EXECUTE FUNCTION dealbot_undecided_on_decision_insert();
CREATE FUNCTION dealbot_undecided_on_story_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM undecided_stories WHERE seq = OLD.seq;
  RETURN NULL;
END $$;
CREATE TRIGGER undecided_on_story_delete AFTER DELETE ON stories
  FOR EACH ROW EXECUTE FUNCTION dealbot_undecided_on_story_delete();

-- What migrate-store copied into this database from (see pg-import.ts).
CREATE TABLE store_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;

/** Feed leases: which replica polls which feed, until when (see feed-leases.ts). */
export const PG_FEED_LEASES = `
CREATE TABLE feed_leases (
  feed_id     TEXT PRIMARY KEY,
  holder      TEXT,                      -- the replica polling it; null when free
  expires_at  TIMESTAMPTZ                -- past this, another replica may take it over
);
`;
