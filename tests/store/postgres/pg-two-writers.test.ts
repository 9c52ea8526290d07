import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoryAlreadyDeliveredError, type NewDelivery } from '../../../src/store/digest-ledger.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open-postgres-store.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../../helpers/pg-test-db.js';
import { story } from '../story-factory.js';

// Two stores with their own pools on one database write at the same moment, as two replicas would.
const at = '2025-10-28T10:00:00.000Z';
const delivery = (id: string): NewDelivery => ({
  id,
  channelKey: 'slack:C1',
  kind: 'alert',
  slot: null,
  late: false,
  message: { title: id, sections: [] },
  status: 'pending',
  createdAt: at,
});
const shown = (storyId: string) => ({ storyId, briefId: 'b', clusterKey: storyId, role: 'shown' as const });

describe.skipIf(!PG_TEST_URL)('two writers at once (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;

  beforeAll(async () => {
    db = await createTestDatabase('writers');
    [one, two] = await Promise.all([openPostgresStore(db.url), openPostgresStore(db.url)]);
  });
  beforeEach(() => truncateAll(one.pool));
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  it('the same stories stored by both are stored once, and reported new by one', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => story({ id: `s${i}` }));
    const [x, y] = await Promise.all([
      one.stories.upsert(batch, { seenAt: at }),
      two.stories.upsert([...batch].reverse(), { seenAt: at }),
    ]);
    expect(x.inserted + y.inserted).toBe(30);
    expect(new Set([...x.insertedIds, ...y.insertedIds]).size).toBe(30);
    expect(await one.stories.count()).toBe(30);
    expect(await one.matches.undecided(100)).toHaveLength(30);
  });

  it('the same decisions saved by both, in opposite orders, end as one per story', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `s${i}`);
    await one.stories.upsert(
      ids.map((id) => story({ id })),
      { seenAt: at },
    );
    const decide = (id: string, score: number) => ({
      storyId: id,
      decidedAt: at,
      relevant: true,
      score,
      briefId: 'b',
      briefScore: score,
      reasons: [],
      clusterKey: null,
    });
    await Promise.all([
      one.matches.save(ids.map((id) => decide(id, 0.5))),
      two.matches.save([...ids].reverse().map((id) => decide(id, 0.5))),
    ]);
    expect((await one.matches.getMany(ids)).size).toBe(30);
    expect(await one.matches.undecided(100)).toEqual([]);
  });

  it('one delivery id reserved by both: one gets true, the other false', async () => {
    const results = await Promise.all([
      one.ledger.reserve(delivery('d1'), [shown('a')]),
      two.ledger.reserve(delivery('d1'), [shown('a')]),
    ]);
    expect([...results].sort()).toEqual([false, true]);
    expect((await one.ledger.get('d1'))!.stories).toEqual([shown('a')]);
  });

  it('two deliveries with a story in common: one is reserved, the other refused whole', async () => {
    const results = await Promise.allSettled([
      one.ledger.reserve(delivery('d1'), [shown('a'), shown('b')]),
      two.ledger.reserve(delivery('d2'), [shown('c'), shown('b')]),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(fulfilled).toEqual([{ status: 'fulfilled', value: true }]);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoryAlreadyDeliveredError);
    expect((rejected[0] as PromiseRejectedResult).reason.storyIds).toEqual(['b']);
    const held = await one.ledger.deliveredStories('slack:C1', ['a', 'b', 'c']);
    expect(held.size).toBe(2);
    expect(held.has('b')).toBe(true);
  });
});
