import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import {
  checkPgOrder,
  migratePostgres,
  PG_LATEST_VERSION,
  PG_MIGRATIONS,
  type PgMigration,
} from '../../../src/store/postgres/pg-migrations.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../../helpers/pg-test-db.js';

describe('PostgreSQL migrations', () => {
  it('are numbered 1, 2, 3…', () => {
    expect(() => checkPgOrder(PG_MIGRATIONS)).not.toThrow();
    expect(PG_LATEST_VERSION).toBe(PG_MIGRATIONS.length);
    expect(() => checkPgOrder([...PG_MIGRATIONS, { version: 9, name: 'gap', up: '' }])).toThrow(/expected/);
  });

  it('an unreachable server is named by host:port with the cause', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    await expect(openPostgresStore('postgres://dealbot:secret@127.0.0.1:1/dealbot')).rejects.toThrow(
      'cannot connect to PostgreSQL at 127.0.0.1:1/dealbot: connection refused: no PostgreSQL is listening there',
    );
  });
});

describe.skipIf(!PG_TEST_URL)('PostgreSQL migrations on a server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('migrations');
  });
  afterAll(() => db?.drop());

  const versions = async (pool: pg.Pool) =>
    (await pool.query<{ version: number }>('SELECT version FROM dealbot_schema ORDER BY version')).rows.map(
      (r) => r.version,
    );

  it('two replicas starting together migrate once', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(db.url)));
    try {
      expect(await versions(stores[0]!.pool)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      expect(await stores[1]!.stories.count()).toBe(0);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('version 4 adds the leases and the replica registry to a version-3 database, keeping its data', async () => {
    const other = await createTestDatabase('migrations_v4');
    const pool = new pg.Pool({ connectionString: other.url });
    try {
      expect(await migratePostgres(pool, 'test-db', PG_MIGRATIONS.slice(0, 3))).toEqual({ from: 0, to: 3 });
      await pool.query("INSERT INTO feed_state (feed_id, url) VALUES ('nhk', 'https://nhk.example/rss')");
      expect(PG_MIGRATIONS[3]!.name).toBe('named leases and the replica registry');
      expect(await migratePostgres(pool, 'test-db', PG_MIGRATIONS.slice(0, 4))).toEqual({ from: 3, to: 4 });
      const { rows } = await pool.query<{ t: string | null }>(
        "SELECT to_regclass('leases')::text AS t UNION ALL SELECT to_regclass('replicas')::text",
      );
      expect(rows.map((r) => r.t).sort()).toEqual(['leases', 'replicas']);
      expect((await pool.query('SELECT url FROM feed_state')).rows).toEqual([{ url: 'https://nhk.example/rss' }]);
    } finally {
      await pool.end();
      await other.drop();
    }
  });

  it("version 6 gives a version-5 database's decisions their story's order, and clusterMembers reads it from the index", async () => {
    const other = await createTestDatabase('migrations_v6');
    const pool = new pg.Pool({ connectionString: other.url });
    try {
      expect(await migratePostgres(pool, 'test-db', PG_MIGRATIONS.slice(0, 5))).toEqual({ from: 0, to: 5 });
      // Stored c, a, b; decided in another order (b, a, c): members come back in stored order.
      for (const id of ['c', 'a', 'b']) {
        await pool.query(
          `INSERT INTO stories (id, feed_id, title, lang, first_seen, sort_time, search)
           VALUES ($1, 'nhk', $1, 'en', '2025-10-28T09:00:00Z', '2025-10-28T09:00:00Z', to_tsvector('simple', $1))`,
          [id],
        );
      }
      for (const id of ['b', 'a', 'c']) {
        await pool.query(
          `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
           VALUES ($1, '2025-10-28T09:01:00Z', true, 0.9, 'rare-earths', 0.9, '[]', 'k')`,
          [id],
        );
      }
      expect(PG_MIGRATIONS[5]!.version).toBe(6);
      expect(await migratePostgres(pool, 'test-db', PG_MIGRATIONS.slice(0, 6))).toEqual({ from: 5, to: 6 });
      const store = await openPostgresStore(other.url);
      try {
        expect((await store.matches.clusterMembers('k')).map((d) => d.storyId)).toEqual(['c', 'a', 'b']);
        expect((await store.matches.clusterMembers('k', 2)).map((d) => d.storyId)).toEqual(['c', 'a']);
        // A story stored and decided after the migration gets its order from the trigger.
        await store.stories.upsert(
          [{ id: 'd', feedId: 'nhk', title: 'd', summary: '', url: null, published: null, author: null, lang: 'en' }],
          { seenAt: '2025-10-28T10:00:00Z' },
        );
        await pool.query(
          `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
           VALUES ('d', '2025-10-28T10:01:00Z', true, 0.9, 'rare-earths', 0.9, '[]', 'k')`,
        );
        expect((await store.matches.clusterMembers('k')).map((d) => d.storyId)).toEqual(['c', 'a', 'b', 'd']);
        // The order comes from the index: no sort (the planner told to prefer the index, as it does on a large table).
        const client = await pool.connect();
        try {
          await client.query('SET enable_seqscan = off');
          const plan = (
            await client.query<{ 'QUERY PLAN': string }>(
              "EXPLAIN SELECT story_id FROM story_matches m WHERE m.cluster_key = 'k' ORDER BY m.story_seq LIMIT 2",
            )
          ).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
          expect(plan).toContain('story_matches_cluster_seq');
          expect(plan).not.toMatch(/Sort/);
        } finally {
          client.release();
        }
      } finally {
        await store.close();
      }
    } finally {
      await pool.end();
      await other.drop();
    }
  });

  it('a failing migration leaves the database at the last whole version', async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      const broken: PgMigration = {
        version: PG_LATEST_VERSION + 1,
        name: 'broken',
        up: 'CREATE TABLE half_done (x int); SELECT * FROM no_such_table;',
      };
      await expect(migratePostgres(pool, 'test-db', [...PG_MIGRATIONS, broken])).rejects.toThrow(
        /PostgreSQL migration \d+ \(broken\) of test-db failed: relation "no_such_table" does not exist/,
      );
      expect(await versions(pool)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      expect((await pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
      // The lock was let go: a later run proceeds.
      expect(await migratePostgres(pool, 'test-db')).toEqual({ from: PG_LATEST_VERSION, to: PG_LATEST_VERSION });
    } finally {
      await pool.end();
    }
  });

  it('a database of a newer schema version is refused, and left as it was', async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await pool.query("INSERT INTO dealbot_schema (version, name) VALUES (99, 'from the future')");
      await expect(openPostgresStore(db.url)).rejects.toThrow(
        /is at dealbot schema version 99, newer than this dealbot knows \(\d+\); run a newer dealbot/,
      );
      expect(await versions(pool)).toContain(99);
    } finally {
      await pool.end();
    }
  });
});
