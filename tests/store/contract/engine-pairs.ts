import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { EitherStore } from '../../../src/store/async-store.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../../helpers/pg-test-db.js';

/** Two replicas' stores on one database, and a way to change rows behind their backs (an old heartbeat). */
export interface EnginePair {
  a: EitherStore;
  b: EitherStore;
  /** Runs SQL written to work on both engines (ISO 8601 literals compare on both). */
  exec(sql: string): Promise<void>;
}

/**
 * Runs one suite with two stores sharing a database, as two replicas do: on
 * SQLite two connections on one file (a fresh file per test); on PostgreSQL two
 * pools on one throwaway database (when DEALBOT_TEST_PG_URL is set).
 */
export function forEachEnginePair(label: string, suite: (pair: () => EnginePair) => void): void {
  describe('sqlite, two connections on one file', () => {
    let dir: string | undefined;
    let pair: EnginePair | undefined;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), `dealbot-${label}-`));
      const file = path.join(dir, 'dealbot.db');
      pair = {
        a: openSqliteStore(file),
        b: openSqliteStore(file),
        exec: async (sql) => {
          const db = new Database(file, { timeout: 5_000 });
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
      };
    });
    afterEach(async () => {
      await pair?.a.close();
      await pair?.b.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    suite(() => pair!);
  });

  describe.skipIf(!PG_TEST_URL)('postgres, two pools on one database', () => {
    let db: TestDatabase | undefined;
    let a: PostgresStore | undefined;
    let b: PostgresStore | undefined;
    beforeAll(async () => {
      db = await createTestDatabase(label);
      a = await openPostgresStore(db.url);
      b = await openPostgresStore(db.url);
    });
    beforeEach(async () => {
      await truncateAll(a!.pool);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.drop();
    });
    suite(() => ({
      a: a!,
      b: b!,
      exec: async (sql) => {
        await a!.pool.query(sql);
      },
    }));
  });
}
