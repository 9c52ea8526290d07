import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { EitherStore } from '../../../src/store/async-store.js';
import { openStore } from '../../../src/store/open-store.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../../helpers/pg-test-db.js';

/**
 * Runs one suite on each engine: SQLite (in memory, a fresh store per test) always;
 * PostgreSQL when DEALBOT_TEST_PG_URL is set (one throwaway database per file,
 * emptied before each test). The suite awaits every call, which works on SQLite's
 * plain return values and PostgreSQL's promises alike.
 */
export function forEachEngine(label: string, suite: (store: () => EitherStore) => void): void {
  describe('sqlite', () => {
    let store: EitherStore | undefined;
    beforeEach(async () => {
      // Through openStore: the SQLite engine as every caller gets it (asyncFromSync).
      store = await openStore(':memory:');
    });
    afterEach(() => store?.close());
    suite(() => store!);
  });

  describe.skipIf(!PG_TEST_URL)('postgres', () => {
    let db: TestDatabase | undefined;
    let store: PostgresStore | undefined;
    beforeAll(async () => {
      db = await createTestDatabase(label);
      store = await openPostgresStore(db.url);
    });
    beforeEach(async () => {
      await truncateAll(store!.pool);
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });
    suite(() => store!);
  });
}
