import type { AsyncStore } from '../async-store.js';
import { FeedLeases } from './feed-leases.js';
import { replicaName } from './replica-name.js';
import { createPgLeaseRepo, createPgReplicaRepo } from './pg-coordination.js';
import { PgDigestLedger } from './pg-digest-ledger.js';
import { createPgFeedStateRepo } from './pg-feed-state-repo.js';
import { createPgMatchRepo } from './pg-match-repo.js';
import { checkPostgresVersion, migratePostgres } from './pg-migrations.js';
import { connectErrorMessage, createPool, describeTarget, type Pool } from './pg-pool.js';
import { createPgStoryRepo } from './pg-story-repo.js';

export interface OpenPostgresOptions {
  /** Connections in the pool (5 by default). */
  maxConnections?: number;
  /** This replica's name in the leases and post claims it holds (host, pid and a random part by default). */
  holder?: string;
  /**
   * For commands that only read (`ask`, `feeds`, `why`, `health`): no migration runs
   * (the schema must already be this dealbot's: start the bot once, or migrate-store),
   * and every session is read-only (default_transaction_read_only), so a write fails.
   */
  readonly?: boolean;
}

/** The PostgreSQL store and its pool (the feed leases and migrate-store use the pool directly). */
export interface PostgresStore extends AsyncStore {
  pool: Pool;
  feedLeases: FeedLeases;
  /** "host:port/database", for messages. */
  name: string;
}

/**
 * Connects to the PostgreSQL database at `url` (postgres://…) and brings its
 * schema up to date (under an advisory lock, so replicas starting together
 * migrate once). Fails with the server's host:port and the cause when it
 * cannot connect, and refuses a database of a newer schema version.
 */
export async function openPostgresStore(url: string, options: OpenPostgresOptions = {}): Promise<PostgresStore> {
  const pool = createPool(url, { max: options.maxConnections, readonly: options.readonly });
  const name = describeTarget(url);
  try {
    await pool.query('SELECT 1').catch((err: unknown) => {
      throw new Error(connectErrorMessage(err, url), { cause: err });
    });
    if (options.readonly) await checkPostgresVersion(pool, name);
    else await migratePostgres(pool, name);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const holder = options.holder ?? replicaName();
  let closed = false;
  return {
    pool,
    name,
    stories: createPgStoryRepo(pool),
    feeds: createPgFeedStateRepo(pool),
    ledger: new PgDigestLedger(pool, holder),
    feedLeases: new FeedLeases(pool, holder),
    matches: createPgMatchRepo(pool),
    leases: createPgLeaseRepo(pool),
    replicas: createPgReplicaRepo(pool),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
