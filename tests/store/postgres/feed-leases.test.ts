import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedLeases } from '../../../src/store/postgres/feed-leases.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import type { FeedState } from '../../../src/store/store.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../../helpers/pg-test-db.js';

// Two stores on one database, each with its own pool: two replicas.
const T0 = '2025-10-28T10:00:00.000Z';
const plus = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const feeds = Array.from({ length: 10 }, (_, i) => `feed-${String(i).padStart(2, '0')}`);

describe.skipIf(!PG_TEST_URL)('feed leases across replicas (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;
  let a: FeedLeases;
  let b: FeedLeases;

  beforeAll(async () => {
    db = await createTestDatabase('leases');
    [one, two] = await Promise.all([openPostgresStore(db.url), openPostgresStore(db.url)]);
    a = new FeedLeases(one.pool, 'replica-a');
    b = new FeedLeases(two.pool, 'replica-b');
  });
  beforeEach(() => truncateAll(one.pool));
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  const ids = (leases: { feedId: string }[]) => leases.map((l) => l.feedId);

  it('replicas split the due feeds: each feed is taken by one, until released', async () => {
    const first = await a.take({ feedIds: feeds, limit: 4, ttlMs: 60_000, now: T0 });
    expect(ids(first)).toEqual(feeds.slice(0, 4));
    expect(first[0]).toEqual({ feedId: 'feed-00', holder: 'replica-a', expiresAt: plus(60) });
    const second = await b.take({ feedIds: feeds, limit: 100, ttlMs: 60_000, now: T0 });
    expect(ids(second)).toEqual(feeds.slice(4));
    expect(await a.take({ feedIds: feeds, limit: 100, ttlMs: 60_000, now: plus(1) })).toEqual([]);
    await a.release(['feed-00', 'feed-05']); // feed-05 is b's: left alone
    expect(ids(await b.take({ feedIds: feeds, limit: 100, ttlMs: 60_000, now: plus(2) }))).toEqual(['feed-00']);
    expect((await a.holders()).filter((l) => l.holder === 'replica-b')).toHaveLength(7);
  });

  it('taking at the same moment never gives one feed to both (FOR UPDATE SKIP LOCKED)', async () => {
    for (let round = 0; round < 5; round++) {
      await truncateAll(one.pool);
      const [x, y] = await Promise.all([
        a.take({ feedIds: feeds, limit: 6, ttlMs: 60_000, now: T0 }),
        b.take({ feedIds: feeds, limit: 6, ttlMs: 60_000, now: T0 }),
      ]);
      const both = [...ids(x), ...ids(y)];
      expect(new Set(both).size).toBe(both.length);
      expect(both.length).toBe(10);
    }
  });

  it('a feed whose next poll is not due yet is not taken', async () => {
    const state = (feedId: string, nextDueAt: string): FeedState => ({
      feedId,
      url: `https://example.com/${feedId}.xml`,
      etag: null,
      lastModified: null,
      lastPollAt: T0,
      lastStatus: 200,
      lastSuccessAt: T0,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: nextDueAt,
      status: 'ok',
      movedTo: null,
      notified: null,
      storyCount: 0,
    });
    await one.feeds.save(state('feed-00', plus(300)));
    await one.feeds.save(state('feed-01', plus(-1)));
    expect(
      ids(await a.take({ feedIds: ['feed-00', 'feed-01', 'feed-02'], limit: 10, ttlMs: 60_000, now: T0 })),
    ).toEqual(['feed-02', 'feed-01']);
    // Polled and saved by a, then released: b sees the new due time and leaves it.
    await one.feeds.save(state('feed-01', plus(300)));
    await a.release(['feed-01']);
    expect(await b.take({ feedIds: ['feed-01'], limit: 10, ttlMs: 60_000, now: plus(10) })).toEqual([]);
    expect(ids(await b.take({ feedIds: ['feed-01'], limit: 10, ttlMs: 60_000, now: plus(300) }))).toEqual(['feed-01']);
  });

  it("an expired lease is taken over, and the old holder's renewal then fails", async () => {
    await a.take({ feedIds: ['feed-00', 'feed-01'], limit: 10, ttlMs: 60_000, now: T0 });
    expect(await b.take({ feedIds: ['feed-00', 'feed-01'], limit: 10, ttlMs: 60_000, now: plus(59) })).toEqual([]);
    expect(await a.renew(['feed-01'], 60_000, plus(50))).toEqual(['feed-01']); // now held to +110 s
    expect(ids(await b.take({ feedIds: ['feed-00', 'feed-01'], limit: 10, ttlMs: 60_000, now: plus(60) }))).toEqual([
      'feed-00',
    ]);
    expect(await a.renew(['feed-00', 'feed-01'], 60_000, plus(61))).toEqual(['feed-01']);
    expect(ids(await b.take({ feedIds: ['feed-01'], limit: 10, ttlMs: 60_000, now: plus(121) }))).toEqual(['feed-01']);
    expect(await a.renew(['feed-00', 'feed-01'], 60_000, plus(122))).toEqual([]);
    expect((await a.holders()).map((l) => l.holder)).toEqual(['replica-b', 'replica-b']);
  });

  it("uses the database's clock when no time is given", async () => {
    const [lease] = await a.take({ feedIds: ['feed-00'], limit: 1, ttlMs: 60_000 });
    const { rows } = await one.pool.query<{ now: Date }>('SELECT now() AS now');
    const left = Date.parse(lease!.expiresAt) - rows[0]!.now.getTime();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(await b.take({ feedIds: ['feed-00'], limit: 1, ttlMs: 60_000 })).toEqual([]);
  });
});
