import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectErrorMessage, describeTarget } from './pg-pool.js';

/**
 * A throwaway database for benchmarks (`npm run bench -- pg`): made on the server
 * `serverUrl` names (connecting to the database in it), dropped afterwards. Here
 * because only the PostgreSQL engine may speak to PostgreSQL itself; tests have
 * their own (tests/helpers/pg-test-db.ts).
 */
export interface ScratchDatabase {
  /** postgres://… of the new database. */
  url: string;
  name: string;
  /**
   * VACUUM ANALYZE: what autovacuum does to a running bot's database some time after a bulk
   * load (planner statistics, the search index's pending entries merged, visibility map set).
   */
  settle(): Promise<void>;
  /** Drops it, closing any connection left open. */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>`; fails with the server's host:port and the cause
 * (connection refused, unknown host, …) when the server cannot be reached.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    settle: () => admin(url.toString(), 'VACUUM ANALYZE'),
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  // An unreachable server's socket error must not crash the process: connect() rejects with it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new Error(connectErrorMessage(err, serverUrl), { cause: err });
  }
  try {
    await client.query(sql);
  } catch (err) {
    throw new Error(`PostgreSQL at ${describeTarget(serverUrl)} refused "${sql}": ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await client.end();
  }
}
