import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: DEALBOT_TEST_PG_URL names a server and a database to
 * connect to (.ci/run sets it to the local one); each test file makes its own
 * throwaway database there and drops it afterwards. Without the variable the
 * PostgreSQL tests skip, and tests/global-setup.ts says so once.
 */
export const PG_TEST_URL = process.env.DEALBOT_TEST_PG_URL || undefined;

export const PG_SKIP_REASON =
  'PostgreSQL tests skipped: DEALBOT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test; .ci/run sets it)';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server; drop() removes it (closing any connection left open). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (!PG_TEST_URL) throw new Error(PG_SKIP_REASON);
  const name = `dealbot_t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Empties every dealbot table (the schema stays), so tests in one file start alike. */
export async function truncateAll(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'dealbot_schema'`,
  );
  // DELETE, not TRUNCATE: on a few rows it is a hundred times faster (TRUNCATE rewrites every table's files).
  if (rows.length) await pool.query(rows.map((r) => `DELETE FROM "${r.t}";`).join('\n'));
}
