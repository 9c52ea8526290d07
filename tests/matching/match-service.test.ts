import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BriefRegistry } from '../../src/briefs/brief-registry.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createDigestCandidateSource } from '../../src/digests/store-candidates.js';
import { MatchService } from '../../src/bot/match-service.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { story } from '../store/story-factory.js';
import { makeBrief } from './make-brief.js';

const brief = makeBrief('minerals', {
  groups: { japan: ['Japan'], us: ['US', 'Trump'] },
  strong: ['rare earth'],
  specific: ['@japan + @us'],
});

describe('MatchService on the SQLite store', () => {
  let store: Store;
  let service: MatchService;
  let config: Config;
  beforeEach(() => {
    store = openSyncStore(':memory:');
    config = configSchema.parse({
      feeds: { list: [{ id: 'wire', url: 'https://example.com/feed', exclude: ['sports'] }] },
    });
    const briefs = new BriefRegistry([brief], 'minerals');
    service = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => briefs,
      getConfig: () => config,
      now: () => new Date('2025-10-28T12:00:00Z'),
    });
  });
  afterEach(() => store.close());

  it('records what a feed filter dropped, findable by id or URL', async () => {
    const feed = config.feeds.list[0]!;
    const dropped = story({
      id: 'x1',
      title: 'Sports: rare earth magnets in golf clubs',
      url: 'https://example.com/sports/1',
    });
    expect(await service.filter(dropped, feed)).toEqual({ keep: false, reason: expect.stringContaining('"sports"') });
    expect(service.filter(story({ id: 'x2', title: 'Rare earth prices rise' }), feed)).toEqual({ keep: true });
    expect(store.matches.getFiltered('https://example.com/sports/1')).toMatchObject({ storyId: 'x1', feedId: 'wire' });
    expect(store.matches.getFiltered('x2')).toBeNull();
  });

  it('stores a decision for every new story and files copies of one event under one key', async () => {
    const seenAt = '2025-10-28T10:00:00.000Z';
    store.stories.upsert(
      [
        story({ id: 'a', title: 'Japan and US sign rare earth deal in Tokyo', url: 'https://reuters.com/a' }),
        story({
          id: 'b',
          title: 'Japan and US sign rare earth deal in Tokyo - Nikkei Asia',
          url: 'https://asia.nikkei.com/b',
          published: '2025-10-28T10:00:00.000Z',
        }),
        story({ id: 'c', title: 'Dodgers win the World Series' }),
      ],
      { seenAt },
    );
    const decisions = await service.matchStories(['a', 'b', 'c']);
    expect(decisions.map((d) => [d.storyId, d.relevant, d.briefId])).toEqual([
      ['a', true, 'minerals'],
      ['b', true, 'minerals'],
      ['c', false, null],
    ]);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => store.matches.get(id)!);
    expect(a!.clusterKey).toBe('a');
    expect(b!.clusterKey).toBe('a');
    expect(c!.clusterKey).toBeNull();
    expect(a!.reasons.join(' ')).toContain('rare earth');

    // A later copy joins the event; the key it already had does not change.
    store.stories.upsert(
      [story({ id: 'd', title: 'Japan, US sign rare earth deal in Tokyo | Kyodo', url: 'https://kyodo.jp/d' })],
      { seenAt: '2025-10-28T11:00:00.000Z' },
    );
    await service.onNewStories(['d']);
    expect(store.matches.get('d')!.clusterKey).toBe('a');
    expect(
      store.matches
        .clusterMembers('a')
        .map((m) => m.storyId)
        .sort(),
    ).toEqual(['a', 'b', 'd']);

    // Digests read the stored event: one candidate, its lead, with the three outlets that carried it.
    const source = createDigestCandidateSource(asyncFromSync(store));
    const candidates = await source.candidates({ briefIds: ['minerals'] });
    for (const c of candidates) await c.event?.load?.();
    expect(candidates.map((x) => x.clusterKey)).toEqual(['a']);
    expect(candidates[0]!.event?.outletCount).toBe(3);
    expect([...candidates[0]!.outlets].sort()).toEqual(['Nikkei Asia', 'Reuters', 'kyodo.jp']);
    expect((await source.eventStoryIds?.(['a']))?.get('a')?.sort()).toEqual(['a', 'b', 'd']);
  });

  it('finds a story relevant through its event only when it clearly reports a happening relevant stories report', async () => {
    const at = (h: number) => `2025-10-28T0${h}:00:00.000Z`;
    store.stories.upsert(
      [
        story({
          id: 'r1',
          title: 'Toyota says $10bn US investment Trump touted is not new, rare earth plans unchanged',
          published: at(1),
        }),
        story({
          id: 'r2',
          title: 'Toyota denies new $10bn US investment, rare earth sourcing as before',
          published: at(2),
        }),
      ],
      { seenAt: at(2) },
    );
    await service.matchStories(['r1', 'r2']);
    expect(store.matches.get('r2')).toMatchObject({ relevant: true, clusterKey: 'r1' });
    store.stories.upsert(
      [
        // Names both sides (the brief's specific entry) but no strong term: near, not relevant by itself.
        story({
          id: 'near',
          title: 'Toyota says the $10bn Trump touted for Japan and US plants is not new',
          published: at(3),
        }),
        // As near, but another happening, sharing only the parties' names.
        story({ id: 'far', title: 'Japan and US leaders visit an aircraft carrier in Yokosuka', published: at(3) }),
      ],
      { seenAt: at(3) },
    );
    const decisions = await service.matchStories(['near', 'far']);
    expect(decisions.map((d) => [d.storyId, d.relevant])).toEqual([
      ['near', true],
      ['far', false],
    ]);
    const near = store.matches.get('near')!;
    expect(near).toMatchObject({ relevant: true, clusterKey: 'r1' });
    expect(near.reasons.at(-1)).toMatch(/^relevant through its event: .*event of r1 \(2 relevant stories; similarity/);
    expect(near.reasons.join(' ')).not.toMatch(/below the relevance threshold/);
    expect(store.matches.get('far')).toMatchObject({ relevant: false, clusterKey: null });

    // Decided again (after a reload), the near story keeps its event and stays relevant.
    await service.matchStories(['near']);
    expect(store.matches.get('near')).toMatchObject({ relevant: true, clusterKey: 'r1' });
  });

  it('finds a near story relevant through its event when the event is reported after it', async () => {
    const at = (h: number) => `2025-10-28T0${h}:00:00.000Z`;
    // Near, not relevant by itself, and no relevant story of its happening yet: held.
    store.stories.upsert(
      [
        story({
          id: 'early',
          title: 'Toyota says the $10bn Trump touted for Japan and US plants is not new',
          published: at(1),
        }),
      ],
      { seenAt: at(1) },
    );
    expect((await service.matchStories(['early']))[0]).toMatchObject({ relevant: false });
    store.stories.upsert(
      [
        story({
          id: 'r1',
          title: 'Toyota says $10bn US investment Trump touted is not new, rare earth plans unchanged',
          published: at(2),
        }),
      ],
      { seenAt: at(2) },
    );
    await service.matchStories(['r1']);
    const early = store.matches.get('early')!;
    expect(early).toMatchObject({ relevant: true, clusterKey: 'r1' });
    expect(early.reasons.at(-1)).toMatch(/^relevant through its event: .*event of r1 .*similarity/);
    expect(early.eventNote).toMatch(/^joined the event of r1/);
  });

  it('decides stories stored before matching ran, and only those', async () => {
    store.stories.upsert(
      [
        story({ id: 'old1', title: 'China curbs rare earth exports' }),
        story({ id: 'old2', title: 'Cherry blossoms bloom in Tokyo' }),
      ],
      { seenAt: '2025-10-27T10:00:00.000Z' },
    );
    expect(store.matches.get('old1')).toBeNull();
    expect(await service.drainUndecided()).toBe(2);
    expect(store.matches.get('old1')).toMatchObject({ relevant: true, briefId: null });
    expect(store.matches.get('old2')).toMatchObject({ relevant: false });
    expect(await service.drainUndecided()).toBe(0);
  });
});
