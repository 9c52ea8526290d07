/**
 * PostgreSQL's stored events table: the port of SQLite's migration 6
 * (src/store/sqlite/events-migration.ts, which says what each column means and
 * who writes it). The same tables, the same backfill, and PL/pgSQL triggers doing
 * what SQLite's do, in the same transaction as the decisions and event keys they
 * follow: a member added folds its counts, times and score into its event; its
 * brief changing alone moves it between the brief counts; leaving, stopping being
 * relevant or changing score computes the event again from its members, and the
 * event then waits for the match step's lead and outlets (lead_id NULL).
 *
 * Times, keys and briefs that are sorted or compared by range are COLLATE "C"
 * (byte order, as SQLite compares), as in pg-schema.ts.
 */

// storyTime (src/events/story-time.ts) of stories row s, as ISO text.
const STORY_TIME = `CASE WHEN s.published IS NOT NULL AND s.published COLLATE "C" <= s.first_seen
  THEN s.published COLLATE "C" ELSE s.first_seen END`;

export const PG_EVENTS = `
CREATE TABLE events (
  key           TEXT COLLATE "C" PRIMARY KEY,   -- story_matches.cluster_key
  brief_id      TEXT,                           -- the brief most members are tied to; NULL: none
  first_seen    TEXT COLLATE "C" NOT NULL,      -- earliest first_seen of its visible members
  newest        TEXT COLLATE "C" NOT NULL,      -- newest storyTime of its visible members
  story_count   INTEGER NOT NULL,
  outlet_count  INTEGER NOT NULL DEFAULT 0,
  outlets       TEXT NOT NULL DEFAULT '[]',     -- JSON text, as SQLite keeps it: the first EVENT_OUTLETS_LISTED names
  lead_id       TEXT,                           -- NULL until the match step chose it
  lead_score    DOUBLE PRECISION,               -- NULL with lead_id
  best_score    DOUBLE PRECISION NOT NULL
);
-- Covers what ranking needs, so "the newest events of these briefs since T" is an index-only scan.
CREATE INDEX events_brief_newest ON events (brief_id, newest DESC, key)
  INCLUDE (best_score, story_count, outlet_count, lead_id, lead_score);
CREATE INDEX events_without_lead ON events (key) WHERE lead_id IS NULL;

-- Relevant members of an event per brief ('' for none): the brief's majority and eventBriefCounts.
CREATE TABLE event_briefs (
  event_key  TEXT COLLATE "C" NOT NULL,
  brief_id   TEXT COLLATE "C" NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (event_key, brief_id)
);

-- Distinct outlets of an event (by outletKey), so outlet_count stays exact while the listed names are bounded.
CREATE TABLE event_outlets (
  event_key   TEXT NOT NULL,
  outlet_key  TEXT NOT NULL,
  PRIMARY KEY (event_key, outlet_key)
);

-- Deliveries waiting to be posted, oldest first (pending()'s order), without reading every delivery ever made.
CREATE INDEX digest_deliveries_pending ON digest_deliveries (created_at, seq) WHERE status = 'pending';

-- The event's brief: the one most of its relevant members are tied to (ties: the smaller id), else NULL.
CREATE FUNCTION dealbot_event_brief(p_key TEXT) RETURNS void LANGUAGE sql AS $$
  UPDATE events SET brief_id = (
    SELECT b.brief_id FROM event_briefs b WHERE b.event_key = p_key AND b.brief_id <> ''
    ORDER BY b.count DESC, b.brief_id LIMIT 1
  ) WHERE key = p_key;
$$;

-- One more relevant member: counts, times and best score folded in (the row is created by its first visible story).
CREATE FUNCTION dealbot_event_add(p_key TEXT, p_story TEXT, p_brief TEXT, p_score DOUBLE PRECISION)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_briefs (event_key, brief_id, count) VALUES (p_key, COALESCE(p_brief, ''), 1)
    ON CONFLICT (event_key, brief_id) DO UPDATE SET count = event_briefs.count + 1;
  INSERT INTO events (key, first_seen, newest, story_count, best_score)
    SELECT p_key, s.first_seen, ${STORY_TIME}, 1, p_score FROM stories s
    WHERE s.id = p_story AND NOT s.backlog
    ON CONFLICT (key) DO UPDATE SET
      first_seen = LEAST(events.first_seen, excluded.first_seen),
      newest = GREATEST(events.newest, excluded.newest),
      story_count = events.story_count + 1,
      best_score = GREATEST(events.best_score, excluded.best_score);
  PERFORM dealbot_event_brief(p_key);
END $$;

-- A member left or changed score: the event is computed again from its members, and waits for a new lead
-- and outlets. The inserts upsert so that another replica filing into the same event at the same moment
-- meets an existing row rather than a duplicate key.
CREATE FUNCTION dealbot_event_rebuild(p_key TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM event_briefs WHERE event_key = p_key;
  INSERT INTO event_briefs (event_key, brief_id, count)
    SELECT p_key, COALESCE(m.brief_id, ''), COUNT(*) FROM story_matches m
    WHERE m.cluster_key = p_key AND m.relevant GROUP BY COALESCE(m.brief_id, '')
    ON CONFLICT (event_key, brief_id) DO UPDATE SET count = excluded.count;
  DELETE FROM event_outlets WHERE event_key = p_key;
  DELETE FROM events WHERE key = p_key;
  INSERT INTO events (key, first_seen, newest, story_count, best_score)
    SELECT p_key, MIN(s.first_seen), MAX(${STORY_TIME}), COUNT(*), MAX(m.score)
    FROM story_matches m JOIN stories s ON s.id = m.story_id
    WHERE m.cluster_key = p_key AND m.relevant AND NOT s.backlog
    HAVING COUNT(*) > 0
    ON CONFLICT (key) DO UPDATE SET brief_id = NULL, first_seen = excluded.first_seen, newest = excluded.newest,
      story_count = excluded.story_count, outlet_count = 0, outlets = '[]', lead_id = NULL, lead_score = NULL,
      best_score = excluded.best_score;
  PERFORM dealbot_event_brief(p_key);
END $$;

-- Backfill from the stored decisions: every row waits for its lead and outlets (the match step's drain).
INSERT INTO event_briefs (event_key, brief_id, count)
  SELECT cluster_key, COALESCE(brief_id, ''), COUNT(*) FROM story_matches
  WHERE cluster_key IS NOT NULL AND relevant GROUP BY cluster_key, COALESCE(brief_id, '');
INSERT INTO events (key, first_seen, newest, story_count, best_score)
  SELECT m.cluster_key, MIN(s.first_seen), MAX(${STORY_TIME}), COUNT(*), MAX(m.score)
  FROM story_matches m JOIN stories s ON s.id = m.story_id
  WHERE m.cluster_key IS NOT NULL AND m.relevant AND NOT s.backlog
  GROUP BY m.cluster_key;
UPDATE events SET brief_id = (
  SELECT b.brief_id FROM event_briefs b WHERE b.event_key = events.key AND b.brief_id <> ''
  ORDER BY b.count DESC, b.brief_id LIMIT 1
);

-- SQLite's five triggers in one: their conditions exclude one another, so at most one branch applies to a row.
CREATE FUNCTION dealbot_events_on_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- A decision stored with its key.
    IF NEW.relevant AND NEW.cluster_key IS NOT NULL THEN
      PERFORM dealbot_event_add(NEW.cluster_key, NEW.story_id, NEW.brief_id, NEW.score);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.relevant AND OLD.cluster_key IS NOT NULL THEN
      PERFORM dealbot_event_rebuild(OLD.cluster_key);
    END IF;
  ELSIF NEW.relevant AND NEW.cluster_key IS NOT NULL AND NOT (OLD.relevant AND OLD.cluster_key IS NOT NULL) THEN
    -- A story filed into an event (setEvents), or made relevant with its key.
    PERFORM dealbot_event_add(NEW.cluster_key, NEW.story_id, NEW.brief_id, NEW.score);
  ELSIF NEW.relevant AND OLD.relevant AND NEW.cluster_key IS NOT NULL AND OLD.cluster_key = NEW.cluster_key
    AND OLD.score = NEW.score AND OLD.brief_id IS DISTINCT FROM NEW.brief_id THEN
    -- Only its brief changed (attached through its event): move it between the brief counts.
    UPDATE event_briefs SET count = count - 1 WHERE event_key = NEW.cluster_key AND brief_id = COALESCE(OLD.brief_id, '');
    DELETE FROM event_briefs WHERE event_key = NEW.cluster_key AND count <= 0;
    INSERT INTO event_briefs (event_key, brief_id, count) VALUES (NEW.cluster_key, COALESCE(NEW.brief_id, ''), 1)
      ON CONFLICT (event_key, brief_id) DO UPDATE SET count = event_briefs.count + 1;
    PERFORM dealbot_event_brief(NEW.cluster_key);
  ELSIF OLD.relevant AND OLD.cluster_key IS NOT NULL
    AND (NOT NEW.relevant OR NEW.cluster_key IS DISTINCT FROM OLD.cluster_key OR NEW.score <> OLD.score) THEN
    -- It left its event, stopped being relevant or changed score: both events it touches are computed again.
    PERFORM dealbot_event_rebuild(OLD.cluster_key);
    IF NEW.cluster_key IS NOT NULL AND NEW.cluster_key <> OLD.cluster_key THEN
      PERFORM dealbot_event_rebuild(NEW.cluster_key);
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER events_on_member AFTER INSERT OR DELETE OR UPDATE OF cluster_key, relevant, score, brief_id
  ON story_matches FOR EACH ROW EXECUTE FUNCTION dealbot_events_on_member();
`;
