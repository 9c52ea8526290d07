/**
 * Schema version 8: named leases and the replica registry (see ../coordination.ts).
 * Several processes may share one SQLite file, so these are tables like any
 * other, written under SQLite's write lock. Times are ISO 8601 UTC text.
 */
export const COORDINATION_MIGRATION_SQL = `
  CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,          -- a replica id; a released lease has no row
    acquired_at  TEXT NOT NULL,
    expires_at   TEXT NOT NULL           -- past this, another holder may take it
  ) WITHOUT ROWID;

  CREATE TABLE replicas (
    id                  TEXT PRIMARY KEY,
    host                TEXT NOT NULL,
    pid                 INTEGER NOT NULL,
    started_at          TEXT NOT NULL,
    heartbeat_at        TEXT NOT NULL,
    config_fingerprint  TEXT NOT NULL,
    config_summary      TEXT NOT NULL    -- JSON
  ) WITHOUT ROWID;
`;
