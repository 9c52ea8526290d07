import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRequest, FetchResult } from '../../src/feeds/feed-types.js';
import { Poller } from '../../src/feeds/poller.js';
import { createLogger } from '../../src/log/logger.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { feedsConfig, jsonParse, ok } from '../feeds/poller-fixtures.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../helpers/pg-test-db.js';
import { waitFor } from './replica-harness.js';

/**
 * Two pollers on one PostgreSQL database, each with its own store (pool and
 * replica name), as two replicas run them: the feeds' leases split the due feeds,
 * and a poll whose lease is lost ends without saving the feed's state.
 */

const FEEDS = Array.from({ length: 24 }, (_, i) => ({
  id: `feed-${String(i).padStart(2, '0')}`,
  url: `https://h${i % 4}.example/f`,
}));

describe.skipIf(!PG_TEST_URL)('pollers of two replicas sharing feeds by lease (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;
  const pollers: Poller[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('poller_leases');
    [one, two] = await Promise.all([
      openPostgresStore(db.url, { holder: 'replica-a' }),
      openPostgresStore(db.url, { holder: 'replica-b' }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await truncateAll(one.pool);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  /** A poller of `store` whose fetches are recorded in `fetched` (feed id → who fetched it). */
  function pollerOf(
    store: PostgresStore,
    fetched: { feedId: string; by: string }[],
    options: { leaseTtlMs?: number; delayMs?: (feedId: string) => number; log?: string[] } = {},
  ): Poller {
    const fetchFeed = async (req: FetchRequest): Promise<FetchResult> => {
      fetched.push({ feedId: req.feedId, by: store.feedLeases.holder });
      const delay = options.delayMs?.(req.feedId) ?? 5;
      await new Promise((r) => setTimeout(r, delay));
      return ok([{ id: `${req.feedId}-story`, title: `News of ${req.feedId}` }]);
    };
    const poller = new Poller({
      store,
      getFeeds: () => feedsConfig(FEEDS, { concurrency: 2, poll_interval: '15m' }),
      fetchFeed,
      parseFeed: jsonParse,
      leases: store.feedLeases,
      leaseTtlMs: options.leaseTtlMs ?? 60_000,
      logger: options.log
        ? createLogger({
            level: 'warn',
            destination: new Writable({
              write: (chunk: Buffer, _e, done) => (options.log!.push(String(chunk)), done()),
            }),
          })
        : undefined,
    });
    pollers.push(poller);
    return poller;
  }

  it('every due feed is fetched once, by one replica or the other, and both take part', async () => {
    const fetched: { feedId: string; by: string }[] = [];
    const a = pollerOf(one, fetched);
    const b = pollerOf(two, fetched);
    await Promise.all([a.tick(), b.tick()]);
    await waitFor('every feed polled and saved', async () => (await one.feeds.list()).length === FEEDS.length, 15_000);
    await waitFor('both pollers idle', () => a.busy.length === 0 && b.busy.length === 0, 5_000);
    // Ticking again finds nothing due: the state each saved is what the other reads.
    await Promise.all([a.tick(), b.tick()]);
    await new Promise((r) => setTimeout(r, 300));
    expect(fetched.map((f) => f.feedId).sort()).toEqual(FEEDS.map((f) => f.id));
    expect(new Set(fetched.map((f) => f.by))).toEqual(new Set(['replica-a', 'replica-b']));
    expect(await one.feedLeases.holders()).toEqual([]); // all released
    expect(await one.stories.count()).toBe(FEEDS.length);
  });

  it('a poll whose lease is lost stops without saving the feed, and the replica now holding it polls it', async () => {
    const fetched: { feedId: string; by: string }[] = [];
    const log: string[] = [];
    const slow = 'feed-00';
    const a = pollerOf(one, fetched, { leaseTtlMs: 600, delayMs: (id) => (id === slow ? 3_000 : 5), log });
    await a.tick();
    await waitFor('the slow feed being fetched', () => fetched.some((f) => f.feedId === slow), 5_000);
    // Another replica takes the feed over (as if A had stalled past the expiry).
    await one.pool.query(
      `UPDATE feed_leases SET holder = 'replica-b', expires_at = now() + interval '1 minute' WHERE feed_id = $1`,
      [slow],
    );
    await waitFor('A to give the poll up', () => !a.busy.includes(slow), 5_000);
    expect(log.join('')).toContain('lost the lease on this feed');
    expect(await one.feeds.get(slow)).toBeNull(); // A saved nothing: the holder's poll decides the state
    expect(await one.stories.get(`${slow}-story`)).toBeNull();
    // B, holding it now, polls it when its lease lapses (A, stopped, does not race it for the feed).
    await a.stop();
    await one.pool.query('UPDATE feed_leases SET expires_at = now() WHERE feed_id = $1', [slow]);
    const b = pollerOf(two, fetched, { leaseTtlMs: 600 });
    await b.tick();
    await waitFor('B to poll the feed', async () => (await two.feeds.get(slow)) !== null, 5_000);
    expect(fetched.filter((f) => f.feedId === slow).map((f) => f.by)).toEqual(['replica-a', 'replica-b']);
  });
});
