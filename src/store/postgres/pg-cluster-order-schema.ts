/**
 * PostgreSQL schema version 6: an event's members in stored order from an index
 * alone. clusterMembers answers an event's stories oldest stored first
 * (stories.seq), with a limit; without this it joined every member to stories
 * and sorted them, so a large event (hundreds of wordings of one happening) cost
 * milliseconds per read, and /deal search, /deal latest and digests read several
 * events per answer (npm run bench -- pg-reads). story_matches.story_seq copies
 * the story's seq (which never changes) when the decision is inserted, and the
 * index on (cluster_key, story_seq) replaces the one on cluster_key alone.
 */
export const PG_CLUSTER_ORDER = `
ALTER TABLE story_matches ADD COLUMN story_seq BIGINT;
-- The index before the fill: filled after, the updates would be HOT and the new index would wait
-- (pg_index.indcheckxmin) until every transaction older than it ended before any query could use it.
CREATE INDEX story_matches_cluster_seq ON story_matches (cluster_key, story_seq) WHERE cluster_key IS NOT NULL;
UPDATE story_matches m SET story_seq = s.seq FROM stories s WHERE s.id = m.story_id;
CREATE FUNCTION dealbot_match_story_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.story_seq := (SELECT seq FROM stories WHERE id = NEW.story_id);
  RETURN NEW;
END $$;
CREATE TRIGGER match_story_seq BEFORE INSERT ON story_matches
  FOR EACH ROW EXECUTE FUNCTION dealbot_match_story_seq();
DROP INDEX story_matches_cluster;
`;
