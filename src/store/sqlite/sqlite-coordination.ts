import type BetterSqlite3 from 'better-sqlite3';
import { checkMs, type Lease, type LeaseRepo, type Replica, type ReplicaRepo } from '../coordination.js';

/*
 * Leases and the replica registry on SQLite. Each write is one statement, so
 * SQLite's write lock makes it atomic across every process sharing the file.
 * "Now" is this host's clock, which all those processes share.
 */

const nowIso = (): string => new Date().toISOString();
const laterIso = (ms: number): string => new Date(Date.now() + ms).toISOString();

interface LeaseRow {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

export function createSqliteLeaseRepo(db: BetterSqlite3.Database): LeaseRepo {
  // Taken when there is no row, the row is this holder's, or its lease has expired.
  const take = db.prepare<{ name: string; holder: string; now: string; expires: string }>(
    `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (@name, @holder, @now, @expires)
     ON CONFLICT (name) DO UPDATE SET
       holder = excluded.holder,
       acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
       expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.acquired_at`,
  );
  const extend = db.prepare<[string, string, string]>('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?');
  const drop = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?');
  const current = db.prepare<[string, string], LeaseRow>(
    'SELECT name, holder, acquired_at, expires_at FROM leases WHERE name = ? AND expires_at > ?',
  );
  return {
    acquire(name, holder, ttlMs) {
      const ms = checkMs(`the ttl of lease "${name}"`, ttlMs);
      return take.run({ name, holder, now: nowIso(), expires: laterIso(ms) }).changes === 1;
    },
    renew(name, holder, ttlMs) {
      const ms = checkMs(`the ttl of lease "${name}"`, ttlMs);
      return extend.run(laterIso(ms), name, holder).changes === 1;
    },
    release(name, holder) {
      return drop.run(name, holder).changes === 1;
    },
    holder(name) {
      const row = current.get(name, nowIso());
      return row ? leaseFromRow(row) : null;
    },
  };
}

function leaseFromRow(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}

interface ReplicaRow {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
  config_fingerprint: string;
  config_summary: string;
}

export function createSqliteReplicaRepo(db: BetterSqlite3.Database): ReplicaRepo {
  const upsert = db.prepare(
    `INSERT INTO replicas (id, host, pid, started_at, heartbeat_at, config_fingerprint, config_summary)
     VALUES (@id, @host, @pid, @now, @now, @fingerprint, @summary)
     ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
       heartbeat_at = excluded.heartbeat_at, config_fingerprint = excluded.config_fingerprint,
       config_summary = excluded.config_summary`,
  );
  const beat = db.prepare<[string, string]>('UPDATE replicas SET heartbeat_at = ? WHERE id = ?');
  const liveSince = db.prepare<[string], ReplicaRow>(
    'SELECT * FROM replicas WHERE heartbeat_at >= ? ORDER BY started_at, id',
  );
  const remove = db.prepare<[string]>('DELETE FROM replicas WHERE id = ?');
  const removeBefore = db.prepare<[string]>('DELETE FROM replicas WHERE heartbeat_at < ?');
  return {
    register(replica) {
      const now = nowIso();
      upsert.run({
        id: replica.id,
        host: replica.host,
        pid: replica.pid,
        now,
        fingerprint: replica.configFingerprint,
        summary: JSON.stringify(replica.configSummary ?? null),
      });
      return { ...replica, startedAt: now, lastHeartbeatAt: now };
    },
    heartbeat(id) {
      return beat.run(nowIso(), id).changes === 1;
    },
    live(withinMs) {
      const ms = checkMs('the live window of replicas', withinMs);
      return liveSince.all(laterIso(-ms)).map(replicaFromRow);
    },
    forget(id) {
      remove.run(id);
    },
    prune(olderThanMs) {
      const ms = checkMs('the prune age of replicas', olderThanMs);
      return removeBefore.run(laterIso(-ms)).changes;
    },
  };
}

function replicaFromRow(row: ReplicaRow): Replica {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    lastHeartbeatAt: row.heartbeat_at,
    configFingerprint: row.config_fingerprint,
    configSummary: JSON.parse(row.config_summary) as unknown,
  };
}
