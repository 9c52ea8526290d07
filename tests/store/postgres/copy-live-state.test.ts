import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySqliteToPostgres } from '../../../src/store/copy-store.js';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.js';
import { EXPORTED_TABLES } from '../../../src/store/store-export.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../../helpers/pg-test-db.js';

/**
 * Leases and the replica registry are live state: who holds the gateway and who is
 * running now, on the source's side. migrate-store leaves them behind, so the
 * replicas on the target start with no holder and register themselves.
 */
describe('migrate-store and live state', () => {
  it('does not list the leases or the replica registry among the tables it copies', () => {
    expect(EXPORTED_TABLES).not.toContain('leases');
    expect(EXPORTED_TABLES).not.toContain('replicas');
  });
});

describe.skipIf(!PG_TEST_URL)('migrate-store and live state, into PostgreSQL', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dealbot-copy-live-'));
    db = await createTestDatabase('copy_live');
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a held lease and a registered replica behind', async () => {
    const file = path.join(dir, 'dealbot.db');
    const source = openSqliteStore(file);
    source.feeds.save({
      feedId: 'nhk',
      url: 'https://nhk.example/rss',
      etag: null,
      lastModified: null,
      lastPollAt: null,
      lastStatus: null,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: null,
      status: 'new',
      movedTo: null,
      notified: null,
      storyCount: 0,
    });
    expect(source.leases.acquire('discord-gateway', 'old-replica', 60_000)).toBe(true);
    source.replicas.register({ id: 'old-replica', host: 'h', pid: 1, configFingerprint: 'f', configSummary: {} });
    source.close();

    const report = await copySqliteToPostgres(file, db.url);
    expect(report.counts.find((c) => c.table === 'feed_state')?.inserted).toBe(1);
    expect(report.counts.map((c) => c.table)).not.toContain('leases');

    const target = await openPostgresStore(db.url);
    try {
      expect(await target.leases.holder('discord-gateway')).toBeNull();
      expect(await target.replicas.live(60_000)).toEqual([]);
      expect(await target.leases.acquire('discord-gateway', 'new-replica', 60_000)).toBe(true);
    } finally {
      await target.close();
    }
  });
});
