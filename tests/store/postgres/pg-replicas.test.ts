import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../../src/store/digest-ledger.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../../helpers/pg-test-db.js';
import { story } from '../story-factory.js';
import { Poller } from '../../../src/feeds/poller.js';
import { feedsConfig } from '../../feeds/poller-fixtures.js';

// Two stores with their own pools (and replica names) on one database: two replicas.
const at = '2025-10-28T10:00:00.000Z';
const delivery = (id: string): NewDelivery => ({
  id,
  channelKey: 'slack:C1',
  kind: 'digest',
  slot: at,
  late: false,
  message: { title: id, sections: [] },
  status: 'pending',
  createdAt: at,
});
const decision = (storyId: string) => ({
  storyId,
  decidedAt: at,
  relevant: true,
  score: 0.5,
  briefId: 'b',
  briefScore: 0.5,
  reasons: [],
  clusterKey: null,
});

describe.skipIf(!PG_TEST_URL)('what replicas share (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;

  beforeAll(async () => {
    db = await createTestDatabase('replicas');
    [one, two] = await Promise.all([
      openPostgresStore(db.url, { holder: 'replica-a' }),
      openPostgresStore(db.url, { holder: 'replica-b' }),
    ]);
  });
  beforeEach(() => truncateAll(one.pool));
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  it('a pending delivery is claimed for posting by one replica at a time, until released', async () => {
    await one.ledger.reserve(delivery('d1'), []);
    const claims = await Promise.all([one.ledger.claimPost!('d1', 60_000), two.ledger.claimPost!('d1', 60_000)]);
    expect([...claims].sort()).toEqual([false, true]);
    const [winner, loser] = claims[0] ? [one, two] : [two, one];
    expect(await winner.ledger.claimPost!('d1', 60_000)).toBe(true); // renewing its own claim
    await loser.ledger.releasePost!('d1'); // not its claim: nothing happens
    expect(await loser.ledger.claimPost!('d1', 60_000)).toBe(false);
    await winner.ledger.releasePost!('d1');
    expect(await loser.ledger.claimPost!('d1', 60_000)).toBe(true);
  });

  it("a dead replica's claim is taken over once it expires; a sent delivery is claimed by nobody", async () => {
    await one.ledger.reserve(delivery('d1'), []);
    // A claim of 0 ms has expired by the next statement (the database's clock moved on).
    expect(await one.ledger.claimPost!('d1', 0)).toBe(true);
    expect(await two.ledger.claimPost!('d1', 60_000)).toBe(true);
    expect(await one.ledger.claimPost!('d1', 60_000)).toBe(false);
    await two.ledger.markSent('d1', 'm1', at);
    await two.ledger.releasePost!('d1');
    expect(await one.ledger.claimPost!('d1', 60_000)).toBe(false);
    expect(await two.ledger.claimPost!('d1', 60_000)).toBe(false);
  });

  it('one replica reads the stories another filed into events since its last look, page by page', async () => {
    await one.stories.upsert(
      ['s1', 's2', 's3', 's4'].map((id) => story({ id })),
      { seenAt: at },
    );
    await one.matches.save(['s1', 's2', 's3', 's4'].map(decision));
    const start = await two.matches.filedSince!(null, 10);
    expect(start.filed).toEqual([]);
    await one.matches.setEvents([
      { storyId: 's1', clusterKey: 's1', note: 'started' },
      { storyId: 's2', clusterKey: 's1', note: 'joined' },
    ]);
    await one.matches.setEvents([{ storyId: 's3', clusterKey: 's3', note: 'started' }]);
    const first = await two.matches.filedSince!(start.cursor, 2);
    expect(first.filed).toEqual([
      { storyId: 's1', clusterKey: 's1' },
      { storyId: 's2', clusterKey: 's1' },
    ]);
    const second = await two.matches.filedSince!(first.cursor, 2);
    expect(second.filed).toEqual([{ storyId: 's3', clusterKey: 's3' }]);
    // The last page's cursor looks back a little: what was just read comes again (callers skip it),
    // so a filing committed late is never missed. A story never filed (s4) never comes.
    const again = await two.matches.filedSince!(second.cursor, 10);
    expect(again.filed.map((f) => f.storyId)).toEqual(['s1', 's2', 's3']);
  });

  it("a dead feed's notice that could not be sent is retried by one replica, not by each", async () => {
    const feeds = feedsConfig([{ id: 'metals', url: 'https://metals.example/rss' }]);
    await one.feeds.save({
      feedId: 'metals',
      url: 'https://metals.example/rss',
      etag: null,
      lastModified: null,
      lastPollAt: at,
      lastStatus: 410,
      lastSuccessAt: null,
      lastErrorAt: at,
      lastError: 'the server says the feed is gone (410)',
      consecutiveFailures: 1,
      nextDueAt: null,
      status: 'dead',
      movedTo: null,
      notified: null, // not told yet: the notice failed when the feed died
      storyCount: 0,
    });
    const told: string[] = [];
    const replica = (store: PostgresStore, name: string) =>
      new Poller({
        store,
        getFeeds: () => feeds,
        leases: store.feedLeases,
        // Slow to post, so both replicas see the feed untold at the same time.
        notify: async (m) => {
          await new Promise((r) => setTimeout(r, 100));
          told.push(`${name}: ${m.title}`);
        },
      });
    const pollers = [replica(one, 'a'), replica(two, 'b')];
    try {
      await Promise.all(pollers.map((p) => p.tick()));
      for (let waited = 0; waited < 3_000 && (await one.feeds.get('metals'))?.notified !== 'dead'; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300)); // a second notice, if any, would have come by now
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/^[ab]: Feed "metals" is dead/);
      expect((await one.feeds.get('metals'))?.notified).toBe('dead');
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
  });
});
