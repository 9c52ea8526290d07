/**
 * What replicas sharing one database coordinate through: named leases (one
 * holder at a time, e.g. the Discord gateway connection) and the registry of
 * running replicas (who is up, since when, with which config). Both are live
 * state: migrate-store does not copy them.
 *
 * Clocks: PostgreSQL's engine takes "now" from the database, which every replica
 * shares, so replicas' clocks need not agree. SQLite's takes the host's: every
 * process sharing a SQLite file runs on the one machine that holds it.
 */

export interface Lease {
  name: string;
  /** The replica holding it (its registry id). */
  holder: string;
  /** When this holder took it (renewals keep it). */
  acquiredAt: string;
  /** Past this, another holder may take it over. */
  expiresAt: string;
}

export interface LeaseRepo {
  /**
   * Takes the lease `name` for `holder` for `ttlMs` when it is free, expired, or
   * already `holder`'s (then it is renewed). True when `holder` holds it
   * afterwards; false when another holder's lease is still running. Atomic: of
   * holders competing for a free lease, exactly one gets it. A `ttlMs` of 0
   * gives a lease already expired (anyone may take it over at once).
   */
  acquire(name: string, holder: string, ttlMs: number): boolean;
  /**
   * Extends `holder`'s lease to now + `ttlMs`. False when `holder` no longer
   * holds it (it released it, or let it expire and another holder took it):
   * stop doing what the lease guards. A lease that expired but that nobody took
   * is still `holder`'s, and renewed.
   */
  renew(name: string, holder: string, ttlMs: number): boolean;
  /** Gives the lease up if `holder` holds it; true when it did. Another holder's lease is left alone. */
  release(name: string, holder: string): boolean;
  /** Who holds `name` now; null when free or expired. */
  holder(name: string): Lease | null;
}

/** What a replica tells the others about itself. */
export interface ReplicaRegistration {
  /** Unique per running process (host, pid and a random part): a restarted replica is a new one. */
  id: string;
  host: string;
  pid: number;
  /** sha256 of the config's shared parts (src/config/config-fingerprint.ts): equal means same config. */
  configFingerprint: string;
  /** The config summary the fingerprint was made from (JSON), so another replica can say what differs. */
  configSummary: unknown;
}

export interface Replica extends ReplicaRegistration {
  startedAt: string;
  lastHeartbeatAt: string;
}

export interface ReplicaRepo {
  /** Records this replica as started and alive now (registering the same id again starts it afresh). */
  register(replica: ReplicaRegistration): Replica;
  /** Records that `id` is alive now; false when it is not registered (forgotten or pruned): register again. */
  heartbeat(id: string): boolean;
  /** Replicas whose last heartbeat is within `withinMs` of now, oldest started first (this one included). */
  live(withinMs: number): Replica[];
  /** Removes `id` (a replica stopping cleanly). */
  forget(id: string): void;
  /** Removes replicas silent for more than `olderThanMs`; returns how many. */
  prune(olderThanMs: number): number;
}

/** A ttl or window in milliseconds must be a finite number ≥ 0; named in the error so the caller can be found. */
export function checkMs(what: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${what} must be a number of milliseconds ≥ 0, not ${ms}`);
  return Math.floor(ms);
}

/** One lease as a job holds it: the narrow form a caller guarding one job (the Discord gateway) needs. */
export interface HeldLease {
  /** Takes or renews the lease; true when this holder has it. */
  acquire(): Promise<boolean>;
  /** Extends it; false when it was lost (stop the job). */
  renew(): Promise<boolean>;
  /** Gives it up (a clean stop). */
  release(): Promise<void>;
}

/** LeaseRepo in either form, plain or returning Promises (written here, not with Async<>, as async-store.ts imports this file). */
type EitherLeaseRepo = {
  [K in keyof LeaseRepo]: (
    ...args: Parameters<LeaseRepo[K]>
  ) => ReturnType<LeaseRepo[K]> | Promise<ReturnType<LeaseRepo[K]>>;
};

/** `leases` (either engine's form) bound to one name, holder and ttl. */
export function holdLease(leases: EitherLeaseRepo, name: string, holder: string, ttlMs: number): HeldLease {
  checkMs(`the ttl of lease "${name}"`, ttlMs);
  return {
    acquire: async () => leases.acquire(name, holder, ttlMs),
    renew: async () => leases.renew(name, holder, ttlMs),
    release: async () => {
      await leases.release(name, holder);
    },
  };
}
