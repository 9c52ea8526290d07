import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefRegistry } from '../../src/briefs/brief-registry.js';
import { configSchema } from '../../src/config/schema.js';
import { MatchService } from '../../src/bot/match-service.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../helpers/pg-test-db.js';
import { makeBrief } from '../matching/make-brief.js';
import { story } from '../store/story-factory.js';

const brief = makeBrief('minerals', {
  groups: { japan: ['Japan'], us: ['US', 'Trump'] },
  strong: ['rare earth'],
  specific: ['@japan + @us'],
});

/**
 * Two replicas' match steps on one PostgreSQL database, each with its own pool and
 * its own in-memory event index: a happening one replica filed is joined by the
 * other's copy of it, not filed again as a new event.
 */
describe.skipIf(!PG_TEST_URL)('match steps of two replicas (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;
  let a: MatchService;
  let b: MatchService;

  beforeAll(async () => {
    db = await createTestDatabase('match_replicas');
    [one, two] = await Promise.all([openPostgresStore(db.url), openPostgresStore(db.url)]);
    const config = configSchema.parse({ feeds: { list: [{ id: 'wire', url: 'https://example.com/feed' }] } });
    const briefs = new BriefRegistry([brief], 'minerals');
    const deps = { getBriefs: () => briefs, getConfig: () => config, now: () => new Date('2025-10-28T12:00:00Z') };
    a = new MatchService({ ...deps, store: one });
    b = new MatchService({ ...deps, store: two });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  it("each replica's match step first reads the events the other filed, so one happening is one event", async () => {
    const seenAt = '2025-10-28T10:00:00.000Z';
    // Replica B builds its event index first, with another happening: it has not seen A's event.
    await two.stories.upsert(
      [story({ id: 'x', title: 'Japan and US agree to cut tariffs to 15 percent', url: 'https://wire.example/x' })],
      { seenAt },
    );
    await b.matchStories(['x']);
    await one.stories.upsert(
      [story({ id: 'r1', title: 'Japan and US sign rare earth deal in Tokyo', url: 'https://reuters.com/r1' })],
      { seenAt },
    );
    await a.matchStories(['r1']);
    expect((await one.matches.get('r1'))!.clusterKey).toBe('r1');

    // B's copy of the happening joins A's event.
    await two.stories.upsert(
      [
        story({
          id: 'n1',
          title: 'Japan and US sign rare earth deal in Tokyo - Nikkei Asia',
          url: 'https://asia.nikkei.com/n1',
        }),
      ],
      { seenAt: '2025-10-28T10:05:00.000Z' },
    );
    await b.matchStories(['n1']);
    const n1 = (await two.matches.get('n1'))!;
    expect(n1.relevant).toBe(true);
    expect(n1.clusterKey).toBe('r1');
    expect(n1.eventNote).toMatch(/^joined the event of r1/);

    // And back: A's next copy joins the same event, which now has three stories.
    await one.stories.upsert(
      [story({ id: 'k1', title: 'Japan, US sign rare earth deal in Tokyo | Kyodo', url: 'https://kyodo.jp/k1' })],
      { seenAt: '2025-10-28T10:10:00.000Z' },
    );
    await a.matchStories(['k1']);
    expect((await one.matches.get('k1'))!.clusterKey).toBe('r1');
    expect((await one.matches.clusterMembers('r1')).map((m) => m.storyId).sort()).toEqual(['k1', 'n1', 'r1']);
  });
});
