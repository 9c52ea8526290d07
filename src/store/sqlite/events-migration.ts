/**
 * The stored events table: one row per event key, so answers read "the newest
 * events of these briefs" with one indexed query instead of grouping stories.
 *
 * SQLite keeps the columns it can compute in step with story_matches through
 * triggers, in the same transaction as the decisions and event keys they follow:
 * the brief (the one most members are tied to), first seen, newest story time
 * (storyTime: published, unless after first seen), story count and best score.
 * Which story leads an event and which outlets carried it are the match step's
 * rules (src/events/), so it writes them (setEvents' outlets, completeEvents'
 * leads); a row whose lead_id is NULL waits for it: a new event, one whose
 * member changed score or left, and every row this migration backfills.
 *
 * Readers' columns count only stories that may reach readers (relevant, not
 * backlog); event_briefs counts every relevant member, as eventBriefCounts did.
 */

// storyTime (src/events/story-time.ts) of stories row s, as ISO text.
const STORY_TIME = `CASE WHEN s.published IS NOT NULL AND s.published <= s.first_seen THEN s.published ELSE s.first_seen END`;

// The event's brief: the one most of its relevant members are tied to (ties: the smaller id), else NULL.
const refreshBrief = (key: string) => `
  UPDATE events SET brief_id = (
    SELECT b.brief_id FROM event_briefs b WHERE b.event_key = events.key AND b.brief_id <> ''
    ORDER BY b.count DESC, b.brief_id LIMIT 1
  ) WHERE key = ${key};`;

// One more relevant member: counts, times and best score folded in (the row is created by its first visible story).
const addMember = (m: string) => `
  INSERT INTO event_briefs (event_key, brief_id, count) VALUES (${m}.cluster_key, COALESCE(${m}.brief_id, ''), 1)
    ON CONFLICT (event_key, brief_id) DO UPDATE SET count = count + 1;
  INSERT INTO events (key, first_seen, newest, story_count, best_score)
    SELECT ${m}.cluster_key, s.first_seen, ${STORY_TIME}, 1, ${m}.score FROM stories s
    WHERE s.id = ${m}.story_id AND s.backlog = 0
    ON CONFLICT (key) DO UPDATE SET
      first_seen = min(first_seen, excluded.first_seen),
      newest = max(newest, excluded.newest),
      story_count = story_count + 1,
      best_score = max(best_score, excluded.best_score);
  ${refreshBrief(`${m}.cluster_key`)}`;

// A member left or changed score: the event is computed again from its members, and waits for a new lead and outlets.
const rebuild = (key: string, when = '1') => `
  DELETE FROM event_briefs WHERE event_key = ${key} AND ${when};
  INSERT INTO event_briefs (event_key, brief_id, count)
    SELECT cluster_key, COALESCE(brief_id, ''), COUNT(*) FROM story_matches
    WHERE cluster_key = ${key} AND relevant = 1 AND ${when} GROUP BY cluster_key, COALESCE(brief_id, '');
  DELETE FROM event_outlets WHERE event_key = ${key} AND ${when};
  DELETE FROM events WHERE key = ${key} AND ${when};
  INSERT INTO events (key, first_seen, newest, story_count, best_score)
    SELECT m.cluster_key, MIN(s.first_seen), MAX(${STORY_TIME}), COUNT(*), MAX(m.score)
    FROM story_matches m JOIN stories s ON s.id = m.story_id
    WHERE m.cluster_key = ${key} AND m.relevant = 1 AND s.backlog = 0 AND ${when}
    GROUP BY m.cluster_key;
  ${refreshBrief(key)}`;

export const EVENTS_MIGRATION_SQL = `
CREATE TABLE events (
  key           TEXT PRIMARY KEY,          -- story_matches.cluster_key
  brief_id      TEXT,                      -- the brief most members are tied to; NULL: none
  first_seen    TEXT NOT NULL,             -- earliest first_seen of its visible members
  newest        TEXT NOT NULL,             -- newest storyTime of its visible members
  story_count   INTEGER NOT NULL,
  outlet_count  INTEGER NOT NULL DEFAULT 0,
  outlets       TEXT NOT NULL DEFAULT '[]', -- JSON: the first EVENT_OUTLETS_LISTED outlet names, in the order they reported it
  lead_id       TEXT,                      -- the story shown (news-event.ts leadOrder); NULL until the match step chose it
  lead_score    REAL,                      -- its score (events are ranked by it); NULL with lead_id
  best_score    REAL NOT NULL
) WITHOUT ROWID;
-- Covers what ranking needs, so "the newest events of these briefs since T" never reads the table.
CREATE INDEX events_brief_newest ON events (brief_id, newest DESC, key, best_score, story_count, outlet_count, lead_id, lead_score);
CREATE INDEX events_without_lead ON events (key) WHERE lead_id IS NULL;

-- Relevant members of an event per brief ('' for none): the brief's majority and eventBriefCounts.
CREATE TABLE event_briefs (
  event_key  TEXT NOT NULL,
  brief_id   TEXT NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (event_key, brief_id)
) WITHOUT ROWID;

-- Distinct outlets of an event (by outletKey), so outlet_count stays exact while the listed names are bounded.
CREATE TABLE event_outlets (
  event_key   TEXT NOT NULL,
  outlet_key  TEXT NOT NULL,
  PRIMARY KEY (event_key, outlet_key)
) WITHOUT ROWID;

-- Deliveries waiting to be posted, oldest first, without reading every delivery ever made.
CREATE INDEX digest_deliveries_pending ON digest_deliveries (created_at) WHERE status = 'pending';

-- Backfill from the stored decisions: every row waits for its lead and outlets (the match step's drain).
INSERT INTO event_briefs (event_key, brief_id, count)
  SELECT cluster_key, COALESCE(brief_id, ''), COUNT(*) FROM story_matches
  WHERE cluster_key IS NOT NULL AND relevant = 1 GROUP BY cluster_key, COALESCE(brief_id, '');
INSERT INTO events (key, first_seen, newest, story_count, best_score)
  SELECT m.cluster_key, MIN(s.first_seen), MAX(${STORY_TIME}), COUNT(*), MAX(m.score)
  FROM story_matches m JOIN stories s ON s.id = m.story_id
  WHERE m.cluster_key IS NOT NULL AND m.relevant = 1 AND s.backlog = 0
  GROUP BY m.cluster_key;
UPDATE events SET brief_id = (
  SELECT b.brief_id FROM event_briefs b WHERE b.event_key = events.key AND b.brief_id <> ''
  ORDER BY b.count DESC, b.brief_id LIMIT 1
);

-- A story filed into an event (setEvents), or a decision stored with its key.
CREATE TRIGGER events_on_member_insert AFTER INSERT ON story_matches
WHEN NEW.relevant = 1 AND NEW.cluster_key IS NOT NULL BEGIN ${addMember('NEW')}
END;
CREATE TRIGGER events_on_member_filed AFTER UPDATE OF cluster_key, relevant ON story_matches
WHEN NEW.relevant = 1 AND NEW.cluster_key IS NOT NULL AND NOT (OLD.relevant = 1 AND OLD.cluster_key IS NOT NULL) BEGIN ${addMember('NEW')}
END;
-- Only its brief changed (attached through its event): move it between the brief counts.
CREATE TRIGGER events_on_member_brief AFTER UPDATE OF brief_id ON story_matches
WHEN NEW.relevant = 1 AND OLD.relevant = 1 AND NEW.cluster_key IS NOT NULL AND OLD.cluster_key IS NEW.cluster_key
  AND OLD.score = NEW.score AND OLD.brief_id IS NOT NEW.brief_id BEGIN
  UPDATE event_briefs SET count = count - 1 WHERE event_key = NEW.cluster_key AND brief_id = COALESCE(OLD.brief_id, '');
  DELETE FROM event_briefs WHERE event_key = NEW.cluster_key AND count <= 0;
  INSERT INTO event_briefs (event_key, brief_id, count) VALUES (NEW.cluster_key, COALESCE(NEW.brief_id, ''), 1)
    ON CONFLICT (event_key, brief_id) DO UPDATE SET count = count + 1;
  ${refreshBrief('NEW.cluster_key')}
END;
-- It left its event, stopped being relevant or changed score: both events it touches are computed again.
CREATE TRIGGER events_on_member_change AFTER UPDATE OF cluster_key, relevant, score ON story_matches
WHEN OLD.relevant = 1 AND OLD.cluster_key IS NOT NULL
  AND (NEW.relevant <> 1 OR NEW.cluster_key IS NOT OLD.cluster_key OR NEW.score <> OLD.score) BEGIN
  ${rebuild('OLD.cluster_key')}
  ${rebuild('NEW.cluster_key', 'NEW.cluster_key IS NOT OLD.cluster_key')}
END;
CREATE TRIGGER events_on_member_delete AFTER DELETE ON story_matches
WHEN OLD.relevant = 1 AND OLD.cluster_key IS NOT NULL BEGIN ${rebuild('OLD.cluster_key')}
END;
`;
