import { describe, expect, it } from 'vitest';
import type { StoredDecision } from '../../../src/store/match-repo.js';
import { story } from '../story-factory.js';
import { forEachEngine } from './engines.js';

const seenAt = '2025-10-28T10:00:00.000Z';

const decision = (storyId: string, over: Partial<StoredDecision> = {}): StoredDecision => ({
  storyId,
  decidedAt: seenAt,
  relevant: true,
  score: 0.734,
  briefId: 'rare-earths',
  briefScore: 0.81,
  reasons: ['title mentions "rare earth"', 'source weight 1.2'],
  clusterKey: null,
  ...over,
});

forEachEngine('matches', (store) => {
  describe('decisions', () => {
    it('save, get and getMany give back what was saved; a new decision keeps the event unless it names one', async () => {
      await store().stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
      await store().matches.save([decision('a'), decision('b', { relevant: false, briefId: null, score: 0.1 })]);
      expect(await store().matches.get('a')).toEqual({ ...decision('a'), eventNote: null });
      await store().matches.setEvents([{ storyId: 'a', clusterKey: 'a', note: 'started the event' }]);
      await store().matches.save([decision('a', { score: 0.9 })]);
      expect(await store().matches.get('a')).toMatchObject({
        score: 0.9,
        clusterKey: 'a',
        eventNote: 'started the event',
      });
      await store().matches.save([decision('a', { clusterKey: 'other' })]);
      expect((await store().matches.get('a'))!.clusterKey).toBe('other');
      const many = await store().matches.getMany(['b', 'zzz', 'a']);
      expect([...many.keys()].sort()).toEqual(['a', 'b']);
      expect(many.get('b')).toMatchObject({ relevant: false, briefId: null, score: 0.1 });
      expect((await store().matches.getMany([])).size).toBe(0);
      expect(await store().matches.get('zzz')).toBeNull();
    });

    it('the undecided queue holds stored stories without a decision, oldest stored first', async () => {
      await store().stories.upsert([story({ id: 'a' }), story({ id: 'b' }), story({ id: 'c' })], { seenAt });
      expect(await store().matches.undecided(10)).toEqual(['a', 'b', 'c']);
      expect(await store().matches.undecided(2)).toEqual(['a', 'b']);
      await store().matches.save([decision('b')]);
      expect(await store().matches.undecided(10)).toEqual(['a', 'c']);
      await store().stories.upsert([story({ id: 'a', title: 'edited' }), story({ id: 'd' })], { seenAt });
      expect(await store().matches.undecided(10)).toEqual(['a', 'c', 'd']);
      await store().matches.save([decision('a'), decision('c'), decision('d')]);
      expect(await store().matches.undecided(10)).toEqual([]);
      expect(await store().matches.undecided(0)).toEqual([]);
    });

    it('the undecided queue, for replicas: only stories first seen before a time', async () => {
      await store().stories.upsert([story({ id: 'a' })], { seenAt: '2025-10-28T10:00:00.000Z' });
      await store().stories.upsert([story({ id: 'b' })], { seenAt: '2025-10-28T10:01:00.000Z' });
      const before = (storedBefore: string) => store().matches.undecided(10, { storedBefore });
      expect(await before('2025-10-28T10:00:30.000Z')).toEqual(['a']);
      expect(await before('2025-10-28T10:00:00.000Z')).toEqual([]);
      expect(await before('2025-10-28T10:02:00.000Z')).toEqual(['a', 'b']);
    });

    it('forBriefs: non-backlog stories of these briefs, newest first, filtered by first seen, score and limit', async () => {
      await store().stories.upsert(
        [
          story({ id: 'old', published: '2025-10-01T00:00:00Z' }),
          story({ id: 'x', published: '2025-10-28T08:00:00Z' }),
          story({ id: 'y', published: '2025-10-28T09:00:00Z' }),
        ],
        { seenAt, backlogBefore: '2025-10-20T00:00:00Z' },
      );
      await store().stories.upsert([story({ id: 'z', published: '2025-10-28T07:00:00Z' })], {
        seenAt: '2025-10-29T00:00:00.000Z',
      });
      await store().matches.save([
        decision('old'),
        decision('x', { score: 0.5 }),
        decision('y', { score: 0.9 }),
        decision('z', { briefId: 'other', score: 0.7 }),
      ]);
      const ids = async (briefs: string[], o: { since?: string; minScore?: number; limit?: number }) =>
        (await store().matches.forBriefs(briefs, o)).map((d) => d.storyId);
      expect(await ids(['rare-earths', 'other'], {})).toEqual(['y', 'x', 'z']);
      expect(await ids(['rare-earths'], { minScore: 0.6 })).toEqual(['y']);
      expect(await ids(['rare-earths', 'other'], { since: '2025-10-28T12:00:00Z' })).toEqual(['z']);
      expect(await ids(['rare-earths', 'other'], { limit: 1 })).toEqual(['y']);
      expect(await ids([], {})).toEqual([]);
    });

    it('events: relevantSince, setCluster, setEvents, eventBriefCounts and clusterMembers', async () => {
      await store().stories.upsert(
        [
          story({ id: 'a', published: '2025-10-28T09:00:00Z' }),
          story({ id: 'b', published: '2025-10-28T08:00:00Z' }),
          story({ id: 'c' }),
        ],
        { seenAt },
      );
      await store().matches.save([decision('a'), decision('b', { briefId: null }), decision('c', { relevant: false })]);
      expect((await store().matches.relevantSince('2025-10-28T00:00:00Z')).map((d) => d.storyId)).toEqual(['b', 'a']);
      expect(await store().matches.relevantSince('2025-10-29T00:00:00Z')).toEqual([]);
      await store().matches.setCluster(['a', 'b', 'c'], 'a');
      await store().matches.setEvents([{ storyId: 'b', clusterKey: 'a', note: 'similar title (0.82)' }]);
      expect((await store().matches.get('b'))!.eventNote).toBe('similar title (0.82)');
      const counts = await store().matches.eventBriefCounts('a');
      expect([...counts].sort((x, y) => String(x.briefId).localeCompare(String(y.briefId)))).toEqual([
        { briefId: null, count: 1 },
        { briefId: 'rare-earths', count: 1 },
      ]);
      expect((await store().matches.clusterMembers('a')).map((d) => d.storyId)).toEqual(['a', 'b', 'c']);
      expect(await store().matches.clusterMembers('a', 2)).toHaveLength(2);
      expect(await store().matches.clusterMembers('none')).toEqual([]);
    });

    it('clusterMembersOf reads several events at once, each as clusterMembers gives it', async () => {
      const ids = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
      await store().stories.upsert(
        ids.map((id) => story({ id })),
        { seenAt },
      );
      // Saved out of the stored order, irrelevant ones among them (clusterMembers reads those too).
      await store().matches.save([
        decision('a3'),
        decision('b2', { relevant: false }),
        decision('a1', { briefId: null }),
        decision('c1'),
        decision('b1'),
        decision('a2', { relevant: false }),
      ]);
      await store().matches.setEvents([
        ...['a1', 'a2', 'a3'].map((id) => ({ storyId: id, clusterKey: 'a', note: 'n' })),
        ...['b1', 'b2'].map((id) => ({ storyId: id, clusterKey: 'b', note: 'n' })),
        { storyId: 'c1', clusterKey: 'c', note: 'n' },
      ]);
      const keys = ['b', 'none', 'a', 'c', 'a'];
      for (const limit of [undefined, 2, 1, 0]) {
        const many = await store().matches.clusterMembersOf(keys, limit);
        const one = new Map<string, StoredDecision[]>();
        for (const key of new Set(keys)) {
          const members = await store().matches.clusterMembers(key, limit);
          if (members.length) one.set(key, members);
        }
        expect(new Map([...many].sort())).toEqual(new Map([...one].sort()));
      }
      const many = await store().matches.clusterMembersOf(keys, 2);
      expect(many.get('a')!.map((d) => d.storyId)).toHaveLength(2);
      expect(
        many
          .get('b')!
          .map((d) => [d.storyId, d.relevant])
          .sort(),
      ).toEqual([
        ['b1', true],
        ['b2', false],
      ]);
      expect(many.has('none')).toBe(false);
      expect((await store().matches.clusterMembersOf([])).size).toBe(0);
    });
  });

  describe('filtered stories', () => {
    it('are found by id or URL; recording again updates the reason', async () => {
      const f = {
        storyId: 'f1',
        url: 'https://example.com/f1',
        feedId: 'feed-a',
        title: 'Celebrity news',
        reason: 'feed filter: exclude "celebrity"',
        at: seenAt,
      };
      await store().matches.recordFiltered(f);
      expect(await store().matches.getFiltered('f1')).toEqual(f);
      expect(await store().matches.getFiltered('https://example.com/f1')).toEqual(f);
      await store().matches.recordFiltered({ ...f, reason: 'too old', at: '2025-10-29T00:00:00.000Z' });
      expect(await store().matches.getFiltered('f1')).toMatchObject({ reason: 'too old' });
      expect(await store().matches.getFiltered('nope')).toBeNull();
    });
  });

  describe('deliveriesOf', () => {
    it('lists the digests and alerts a story went out in, oldest first', async () => {
      await store().ledger.reserve(
        {
          id: 'd1',
          channelKey: 'slack:C1',
          kind: 'digest',
          slot: seenAt,
          late: false,
          message: { title: 't', sections: [] },
          status: 'pending',
          createdAt: seenAt,
        },
        [{ storyId: 'a', briefId: 'rare-earths', clusterKey: 'a', role: 'shown' }],
      );
      await store().ledger.reserve(
        {
          id: 'a1',
          channelKey: 'discord:9',
          kind: 'alert',
          slot: null,
          late: false,
          message: null,
          status: 'quiet',
          createdAt: '2025-10-28T09:00:00.000Z',
        },
        [{ storyId: 'a', briefId: 'rare-earths', clusterKey: 'a', role: 'more' }],
      );
      await store().ledger.markSent('d1', 'm-1', '2025-10-28T10:00:05.000Z');
      expect(await store().matches.deliveriesOf!('a')).toEqual([
        {
          deliveryId: 'a1',
          channelKey: 'discord:9',
          kind: 'alert',
          status: 'quiet',
          role: 'more',
          createdAt: '2025-10-28T09:00:00.000Z',
          sentAt: null,
        },
        {
          deliveryId: 'd1',
          channelKey: 'slack:C1',
          kind: 'digest',
          status: 'sent',
          role: 'shown',
          createdAt: seenAt,
          sentAt: '2025-10-28T10:00:05.000Z',
        },
      ]);
      expect(await store().matches.deliveriesOf!('b')).toEqual([]);
    });
  });
});
