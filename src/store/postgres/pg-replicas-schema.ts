/**
 * What replicas need beyond the feed leases (PostgreSQL schema version 5,
 * after the named leases and replica registry of version 4).
 *
 * - story_matches.filed_at: when a story was filed into its event (its
 *   cluster_key set or changed), on the database's clock, so each replica's
 *   match step can read the events the others filed since its last look
 *   (MatchRepo.filedSince) and cluster the same happening into one event.
 * - digest_deliveries.post_holder / post_expires_at: which replica is posting a
 *   pending delivery, until when (DigestLedger.claimPost), so two replicas never
 *   post it at once; a dead replica's claim expires and another one finishes it
 *   (asking the platform first whether the post landed).
 */
export const PG_REPLICAS = `
ALTER TABLE story_matches ADD COLUMN filed_at TIMESTAMPTZ;
CREATE INDEX story_matches_filed ON story_matches (filed_at, story_id) WHERE filed_at IS NOT NULL;
CREATE FUNCTION dealbot_story_filed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.cluster_key IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.cluster_key IS DISTINCT FROM OLD.cluster_key) THEN
    -- The statement's time, not the transaction's: closer to the commit readers see.
    NEW.filed_at := clock_timestamp();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER story_filed BEFORE INSERT OR UPDATE OF cluster_key ON story_matches
  FOR EACH ROW EXECUTE FUNCTION dealbot_story_filed();

ALTER TABLE digest_deliveries ADD COLUMN post_holder TEXT, ADD COLUMN post_expires_at TIMESTAMPTZ;
`;
