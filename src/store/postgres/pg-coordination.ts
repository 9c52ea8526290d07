import type { Async } from '../async-store.js';
import { checkMs, type Lease, type LeaseRepo, type Replica, type ReplicaRepo } from '../coordination.js';
import type { Pool } from './pg-pool.js';

/**
 * PostgreSQL schema version 4: named leases and the replica registry (see
 * ../coordination.ts). Every "now" is the database's (now()), which all
 * replicas share, so their own clocks need not agree.
 */
export const PG_COORDINATION = `
CREATE TABLE leases (
  name         TEXT PRIMARY KEY,
  holder       TEXT NOT NULL,            -- a replica id; a released lease has no row
  acquired_at  TIMESTAMPTZ NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL      -- past this, another holder may take it
);

CREATE TABLE replicas (
  id                  TEXT PRIMARY KEY,
  host                TEXT NOT NULL,
  pid                 INTEGER NOT NULL,
  started_at          TIMESTAMPTZ NOT NULL,
  heartbeat_at        TIMESTAMPTZ NOT NULL,
  config_fingerprint  TEXT NOT NULL,
  config_summary      JSONB NOT NULL
);
`;

const ttl = (param: string) => `now() + make_interval(secs => ${param}::double precision / 1000.0)`;

/**
 * One statement per acquire: INSERT … ON CONFLICT DO UPDATE … WHERE either
 * inserts the free lease or updates the row under its row lock, so of two
 * replicas acquiring at once the second waits for the first, then sees its
 * lease and gets nothing. (Feed leases skip locked rows instead, as a replica
 * there wants any free feed; here there is one row and one answer.)
 */
export function createPgLeaseRepo(pool: Pool): Async<LeaseRepo> {
  return {
    async acquire(name, holder, ttlMs) {
      const ms = checkMs(`the ttl of lease "${name}"`, ttlMs);
      const { rowCount } = await pool.query(
        `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, now(), ${ttl('$3')})
         ON CONFLICT (name) DO UPDATE SET
           holder = excluded.holder,
           acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
           expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.acquired_at`,
        [name, holder, ms],
      );
      return rowCount === 1;
    },
    async renew(name, holder, ttlMs) {
      const ms = checkMs(`the ttl of lease "${name}"`, ttlMs);
      const { rowCount } = await pool.query(
        `UPDATE leases SET expires_at = ${ttl('$3')} WHERE name = $1 AND holder = $2`,
        [name, holder, ms],
      );
      return rowCount === 1;
    },
    async release(name, holder) {
      const { rowCount } = await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
      return rowCount === 1;
    },
    async holder(name) {
      const { rows } = await pool.query<{ name: string; holder: string; acquired_at: Date; expires_at: Date }>(
        'SELECT name, holder, acquired_at, expires_at FROM leases WHERE name = $1 AND expires_at > now()',
        [name],
      );
      const row = rows[0];
      return row ? leaseOf(row) : null;
    },
  };
}

function leaseOf(row: { name: string; holder: string; acquired_at: Date; expires_at: Date }): Lease {
  return {
    name: row.name,
    holder: row.holder,
    acquiredAt: row.acquired_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}

interface ReplicaRow {
  id: string;
  host: string;
  pid: number;
  started_at: Date;
  heartbeat_at: Date;
  config_fingerprint: string;
  config_summary: unknown;
}

export function createPgReplicaRepo(pool: Pool): Async<ReplicaRepo> {
  return {
    async register(replica) {
      const { rows } = await pool.query<ReplicaRow>(
        `INSERT INTO replicas (id, host, pid, started_at, heartbeat_at, config_fingerprint, config_summary)
         VALUES ($1, $2, $3, now(), now(), $4, $5::jsonb)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
           heartbeat_at = excluded.heartbeat_at, config_fingerprint = excluded.config_fingerprint,
           config_summary = excluded.config_summary
         RETURNING *`,
        [
          replica.id,
          replica.host,
          replica.pid,
          replica.configFingerprint,
          // Stringified here: pg would send a JS array as a PostgreSQL array.
          JSON.stringify(replica.configSummary ?? null),
        ],
      );
      return replicaOf(rows[0]!);
    },
    async heartbeat(id) {
      const { rowCount } = await pool.query('UPDATE replicas SET heartbeat_at = now() WHERE id = $1', [id]);
      return rowCount === 1;
    },
    async live(withinMs) {
      const ms = checkMs('the live window of replicas', withinMs);
      const { rows } = await pool.query<ReplicaRow>(
        `SELECT * FROM replicas WHERE heartbeat_at >= now() - make_interval(secs => $1::double precision / 1000.0)
         ORDER BY started_at, id`,
        [ms],
      );
      return rows.map(replicaOf);
    },
    async forget(id) {
      await pool.query('DELETE FROM replicas WHERE id = $1', [id]);
    },
    async prune(olderThanMs) {
      const ms = checkMs('the prune age of replicas', olderThanMs);
      const { rowCount } = await pool.query(
        'DELETE FROM replicas WHERE heartbeat_at < now() - make_interval(secs => $1::double precision / 1000.0)',
        [ms],
      );
      return rowCount ?? 0;
    },
  };
}

function replicaOf(row: ReplicaRow): Replica {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at.toISOString(),
    lastHeartbeatAt: row.heartbeat_at.toISOString(),
    configFingerprint: row.config_fingerprint,
    configSummary: row.config_summary,
  };
}
