import type { Pool, PoolClient } from './pg-pool.js';
import { PG_SET_EVENTS } from './pg-batch-schema.js';
import { PG_CLUSTER_ORDER } from './pg-cluster-order-schema.js';
import { PG_COORDINATION } from './pg-coordination.js';
import { PG_EVENTS } from './pg-events-schema.js';
import { PG_REPLICAS } from './pg-replicas-schema.js';
import { PG_FEED_LEASES, PG_SCHEMA_V1 } from './pg-schema.js';

/**
 * PostgreSQL's schema, as an ordered list of migrations (its own numbering, not
 * SQLite's). Table dealbot_schema records the version reached.
 *
 * TO CHANGE THE SCHEMA, APPEND ONE ENTRY with the next version number; never edit,
 * reorder or renumber an entry that has shipped.
 */
export interface PgMigration {
  version: number;
  name: string;
  up: string;
}

export const PG_MIGRATIONS: PgMigration[] = [
  { version: 1, name: 'stories, feed state, delivery ledger, match decisions, full-text search', up: PG_SCHEMA_V1 },
  { version: 2, name: 'feed leases for replicas', up: PG_FEED_LEASES },
  { version: 3, name: 'stored events, kept in step with decisions; pending deliveries index', up: PG_EVENTS },
  { version: 4, name: 'named leases and the replica registry', up: PG_COORDINATION },
  { version: 5, name: 'replicas: when stories were filed into events; who is posting a delivery', up: PG_REPLICAS },
  {
    version: 6,
    name: "an event's members in stored order from an index (story_matches.story_seq)",
    up: PG_CLUSTER_ORDER,
  },
  { version: 7, name: "a match step's filings in one round trip (dealbot_set_events)", up: PG_SET_EVENTS },
  // Append new migrations here: { version: 8, name: '…', up: `…` },
];

export const PG_LATEST_VERSION = PG_MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Two replicas starting together must migrate once: every run holds this
 * session-level advisory lock (a constant key, "dealbot" in ASCII) from reading
 * the version to the last step, so the second waits and then finds nothing to do.
 */
const MIGRATION_LOCK_KEY = BigInt('0x6465616c626f74').toString();

/** The database (as "host:port/db") for messages; never the password. */
export type PgName = string;

/**
 * Brings the database up to the latest version, each step in its own transaction
 * with its version row, under the advisory lock. A database of a newer version
 * than this code is refused, before anything is written.
 */
export async function migratePostgres(
  pool: Pool,
  name: PgName,
  migrations: PgMigration[] = PG_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  checkPgOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS dealbot_schema (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const from = await schemaVersion(client);
      if (from > latest) throw newerSchemaError(name, from, latest);
      for (const m of migrations) {
        if (m.version <= from) continue;
        try {
          await client.query('BEGIN');
          await client.query(m.up);
          await client.query('INSERT INTO dealbot_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(
            `PostgreSQL migration ${m.version} (${m.name}) of ${name} failed: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
      return { from, to: await schemaVersion(client) };
    } finally {
      // A broken connection has lost the lock with its session already.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/**
 * For a reader that must not migrate: the database must already be at this code's
 * schema version. Says what to do when it is not (empty, older or newer).
 */
export async function checkPostgresVersion(pool: Pool, name: PgName, latest = PG_LATEST_VERSION): Promise<void> {
  const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('dealbot_schema')::text AS t");
  const found = rows[0]?.t
    ? ((await pool.query<{ v: number | null }>('SELECT MAX(version) AS v FROM dealbot_schema')).rows[0]?.v ?? 0)
    : 0;
  if (found > latest) throw newerSchemaError(name, found, latest);
  if (found < latest) {
    throw new Error(
      found === 0
        ? `the PostgreSQL database ${name} holds no dealbot store yet; start the bot on it once (it creates the schema), or copy a store into it with npx dealbot migrate-store`
        : `the PostgreSQL database ${name} is at dealbot schema version ${found}, older than this dealbot's ${latest}; start the bot once (it migrates on start)`,
    );
  }
}

async function schemaVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM dealbot_schema');
  return rows[0]?.v ?? 0;
}

export function newerSchemaError(name: PgName, found: number, latest: number): Error {
  return new Error(
    `the PostgreSQL database ${name} is at dealbot schema version ${found}, newer than this dealbot knows (${latest}); ` +
      'run a newer dealbot, or point storage.database at another database',
  );
}

/** Versions must run 1, 2, 3…: a gap or a duplicate means an entry was edited or misnumbered. */
export function checkPgOrder(migrations: PgMigration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `PostgreSQL migration "${m.name}" has version ${m.version}; expected ${i + 1} (append migrations with the next number)`,
      );
    }
  });
}
