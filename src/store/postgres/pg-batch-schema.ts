import { EVENT_OUTLETS_LISTED } from '../match-repo.js';

/**
 * PostgreSQL schema version 7: a match step's filings in one round trip.
 * setEvents ran two statements per story (its key and note, then its outlet),
 * each a round trip: with a thousand feeds polled, most of a replica's queries.
 * dealbot_set_events runs the same two statements for each story, in the order
 * given, inside the server, so each statement's triggers (events kept in step,
 * filed_at) fire exactly as they did when the client sent them one by one.
 */
export const PG_SET_EVENTS = `
CREATE FUNCTION dealbot_set_events(p_story TEXT[], p_key TEXT[], p_note TEXT[], p_outlet_key TEXT[], p_outlet_name TEXT[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  i INTEGER;
BEGIN
  FOR i IN 1 .. COALESCE(array_length(p_story, 1), 0) LOOP
    UPDATE story_matches SET cluster_key = p_key[i], event_note = p_note[i] WHERE story_id = p_story[i];
    CONTINUE WHEN p_outlet_key[i] IS NULL;
    -- An outlet counts once per event, and only for a story readers may see (its event row exists then);
    -- its name is appended to the listed ones as SQLite's json_insert writes them (no spaces).
    WITH added AS (
      INSERT INTO event_outlets (event_key, outlet_key)
      SELECT p_key[i], p_outlet_key[i] WHERE EXISTS (SELECT 1 FROM events WHERE key = p_key[i])
        AND EXISTS (SELECT 1 FROM stories WHERE id = p_story[i] AND NOT backlog)
      ON CONFLICT DO NOTHING RETURNING event_key
    )
    UPDATE events SET outlet_count = outlet_count + 1,
      outlets = CASE
        WHEN json_array_length(outlets::json) >= ${EVENT_OUTLETS_LISTED} THEN outlets
        WHEN outlets = '[]' THEN '[' || to_json(p_outlet_name[i])::text || ']'
        ELSE left(outlets, -1) || ',' || to_json(p_outlet_name[i])::text || ']' END
    WHERE key = (SELECT event_key FROM added);
  END LOOP;
END $$;
`;
