import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOutlet } from '../../../src/store/match-repo.js';
import { openSyncStore } from '../../helpers/sync-store.js';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { migratePostgres, PG_MIGRATIONS } from '../../../src/store/postgres/pg-migrations.js';
import { createPgStoryRepo } from '../../../src/store/postgres/pg-story-repo.js';
import { migrate, MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import { createSqliteStoryRepo } from '../../../src/store/sqlite/sqlite-story-repo.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../../helpers/pg-test-db.js';
import { story } from '../story-factory.js';

// What only PostgreSQL's events table has to show: its migration's backfill, its query plans, and the
// outlets text it writes. What both engines do alike is tests/store/contract/events.contract.test.ts.

const SEEN = '2025-10-28T10:00:00.000Z';
const signing = [
  story({ id: 'a', url: 'https://www.reuters.com/a' }),
  story({ id: 'b', url: 'https://asia.nikkei.com/b', published: '2025-10-28T11:00:00.000Z' }),
  story({ id: 'c', url: 'https://www.reuters.com/c', published: null }),
  story({ id: 'old', url: 'https://archive.example/old', published: '2024-01-01T00:00:00.000Z' }),
];
// Decided and filed before the events table existed: [story, score, brief, relevant].
const decided: [string, number, string | null, boolean][] = [
  ['a', 0.7, 'minerals', true],
  ['b', 0.7, 'minerals', true],
  ['c', 0.9, null, true],
  ['old', 1, 'other', true],
];
const INSERT = `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
  VALUES ($1, '${SEEN}', $4, $2, $3, 0.5, '[]', 'a')`;

describe.skipIf(!PG_TEST_URL)('the events table on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('events');
    dir = mkdtempSync(path.join(tmpdir(), 'dealbot-pg-events-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is backfilled by its migration as SQLite backfills it, every event waiting for its lead', async () => {
    // PostgreSQL at the version before the events table, with decided and filed stories.
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await migratePostgres(pool, 'test-db', PG_MIGRATIONS.slice(0, 2));
      await createPgStoryRepo(pool).upsert(signing.slice(0, 3), { seenAt: SEEN });
      await createPgStoryRepo(pool).upsert(signing.slice(3), { seenAt: SEEN, backlogBefore: '2025-01-01T00:00:00Z' });
      for (const [id, score, brief, relevant] of decided) await pool.query(INSERT, [id, score, brief, relevant]);
    } finally {
      await pool.end();
    }
    // SQLite at its version before the events table, with the same rows.
    const file = path.join(dir, 'v5.db');
    const lite = new Database(file);
    migrate(lite, MIGRATIONS.slice(0, 5));
    createSqliteStoryRepo(lite).upsert(signing.slice(0, 3), { seenAt: SEEN });
    createSqliteStoryRepo(lite).upsert(signing.slice(3), { seenAt: SEEN, backlogBefore: '2025-01-01T00:00:00Z' });
    const insert = lite.prepare(
      INSERT.replace('$1', '@id').replace('$2', '@score').replace('$3', '@brief').replace('$4', '@relevant'),
    );
    for (const [id, score, brief, relevant] of decided) insert.run({ id, score, brief, relevant: relevant ? 1 : 0 });
    lite.close();

    const store = await openPostgresStore(db.url);
    const sqlite = openSyncStore(file);
    try {
      expect((await store.matches.events(['a'])).get('a')).toEqual({
        key: 'a',
        briefId: 'minerals',
        firstSeen: SEEN,
        newest: SEEN,
        storyCount: 3, // the backlog story counts for its brief only
        outletCount: 0,
        outlets: [],
        leadId: null,
        leadScore: null,
        bestScore: 0.9,
      });
      expect(await store.matches.events(['a'])).toEqual(sqlite.matches.events(['a']));
      expect(await store.matches.eventBriefCounts('a')).toEqual(sqlite.matches.eventBriefCounts('a'));
      expect(await store.matches.eventBriefCounts('a')).toEqual([
        { briefId: null, count: 1 },
        { briefId: 'minerals', count: 2 },
        { briefId: 'other', count: 1 },
      ]);
      expect(await store.matches.eventsWithoutLead(10)).toEqual(['a']);
      // The triggers take over from the backfilled rows: one story more folds in.
      await store.stories.upsert([story({ id: 'd', url: 'https://kyodonews.net/d' })], { seenAt: SEEN });
      await store.matches.save([
        {
          storyId: 'd',
          decidedAt: SEEN,
          relevant: true,
          score: 0.95,
          briefId: 'minerals',
          briefScore: 0.5,
          reasons: [],
          clusterKey: 'a',
        },
      ]);
      expect((await store.matches.events(['a'])).get('a')).toMatchObject({ storyCount: 4, bestScore: 0.95 });
    } finally {
      sqlite.close();
      await store.close();
    }
  });

  it('answers ranking and the match step from its indexes (a sequential scan ruled out, the index must fit the query)', async () => {
    const store = await openPostgresStore(db.url);
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      // A few rows are cheaper to scan or bitmap-scan: ruling both out leaves the indexes, when they fit the query.
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const plan = async (sql: string, params: unknown[] = []) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      // latestEvents' query, for one brief: the covering index alone, in its order (no sort).
      const latest = await plan(
        `SELECT e.key, e.brief_id, e.newest, e.story_count, e.outlet_count, e.lead_id, e.lead_score, e.best_score
         FROM events e WHERE e.brief_id = $1 AND e.newest >= $2 AND e.best_score >= $3 ORDER BY e.newest DESC, e.key LIMIT 5`,
        ['x', 'y', 0.5],
      );
      expect(latest).toMatch(/Index Only Scan using events_brief_newest/);
      expect(latest).not.toMatch(/Sort/);
      const waiting = await plan('SELECT key FROM events WHERE lead_id IS NULL ORDER BY key LIMIT 5');
      expect(waiting).toMatch(/Index (Only )?Scan using events_without_lead/);
      expect(waiting).not.toMatch(/Sort/);
      expect(
        await plan('SELECT brief_id, count FROM event_briefs WHERE event_key = $1 AND count > 0 ORDER BY brief_id', [
          'k',
        ]),
      ).toMatch(/Index Scan using event_briefs_pkey/);
      expect(
        await plan(`SELECT * FROM digest_deliveries WHERE status = 'pending' ORDER BY created_at, seq LIMIT 5`),
      ).toMatch(/Index Scan using digest_deliveries_pending/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
      await store.close();
    }
  });

  it("lists outlets in the very text SQLite's json_insert writes", async () => {
    const outlets: EventOutlet[] = [
      { name: 'Nikkei "Asia"', key: 'nikkei' },
      { name: '日本経済新聞', key: 'nikkei-ja' },
      { name: 'Reuters\\Wire', key: 'reuters' },
    ];
    const stories = outlets.map((_, i) => story({ id: `o${i}` }));
    const file = path.join(dir, 'outlets.db');
    const sqlite = openSyncStore(file);
    const store = await openPostgresStore(db.url);
    try {
      for (const s of [sqlite, store]) {
        await s.stories.upsert(stories, { seenAt: SEEN });
        await s.matches.save(
          stories.map((st) => ({
            storyId: st.id,
            decidedAt: SEEN,
            relevant: true,
            score: 0.5,
            briefId: 'b',
            briefScore: 0.5,
            reasons: [],
            clusterKey: null,
          })),
        );
        await s.matches.setEvents(
          stories.map((st, i) => ({ storyId: st.id, clusterKey: 'o0', note: '', outlet: outlets[i] })),
        );
      }
      const lite = new Database(file, { readonly: true });
      const text = (lite.prepare("SELECT outlets FROM events WHERE key = 'o0'").get() as { outlets: string }).outlets;
      lite.close();
      expect(JSON.parse(text)).toEqual(outlets.map((o) => o.name));
      expect((await store.pool.query("SELECT outlets FROM events WHERE key = 'o0'")).rows).toEqual([{ outlets: text }]);
    } finally {
      sqlite.close();
      await store.close();
    }
  });
});
