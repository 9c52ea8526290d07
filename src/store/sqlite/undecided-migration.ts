/**
 * The durable queue of stories matching has not decided yet. Triggers keep it
 * in the same transaction as the rows it follows: a story enters the queue as
 * it is inserted, and leaves it as its decision is inserted. A crash between
 * storing and deciding therefore leaves the story queued, never forgotten, and
 * reading the queue costs what is in it (not a scan of every story).
 * The migration queues the stories already stored without a decision.
 */
export const UNDECIDED_MIGRATION_SQL = `
CREATE TABLE undecided_stories (
  seq       INTEGER PRIMARY KEY,       -- stories.seq: the queue is read oldest first
  story_id  TEXT NOT NULL UNIQUE
);
INSERT INTO undecided_stories (seq, story_id)
  SELECT s.seq, s.id FROM stories s
  WHERE NOT EXISTS (SELECT 1 FROM story_matches m WHERE m.story_id = s.id);

CREATE TRIGGER undecided_on_story_insert AFTER INSERT ON stories BEGIN
  INSERT OR IGNORE INTO undecided_stories (seq, story_id)
    SELECT NEW.seq, NEW.id WHERE NOT EXISTS (SELECT 1 FROM story_matches m WHERE m.story_id = NEW.id);
END;
CREATE TRIGGER undecided_on_decision_insert AFTER INSERT ON story_matches BEGIN
  DELETE FROM undecided_stories WHERE story_id = NEW.story_id;
END;
CREATE TRIGGER undecided_on_story_delete AFTER DELETE ON stories BEGIN
  DELETE FROM undecided_stories WHERE seq = OLD.seq;
END;
`;
