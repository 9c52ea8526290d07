import { describe, expect, it } from 'vitest';
import { eventOutlet } from '../../../src/bot/event-leads.js';
import type { EitherStore } from '../../../src/store/async-store.js';
import type { EventQuery, StoredDecision } from '../../../src/store/match-repo.js';
import type { Story } from '../../../src/store/story.js';
import { story } from '../story-factory.js';
import { forEachEngine } from './engines.js';

const SEEN = '2025-10-28T10:00:00.000Z';

const decision = (storyId: string, over: Partial<StoredDecision> = {}): StoredDecision => ({
  storyId,
  decidedAt: SEEN,
  relevant: true,
  score: 0.8,
  briefId: 'minerals',
  briefScore: 0.5,
  reasons: [],
  clusterKey: null,
  ...over,
});

/**
 * What the match step does for new stories, short of choosing leads (that rule is src/bot/event-leads.ts's,
 * tested in tests/store/events-table.test.ts): decisions, then events with each story's outlet.
 */
async function file(store: EitherStore, decisions: StoredDecision[], keys: Record<string, string>): Promise<void> {
  await store.matches.save(decisions);
  const stored = new Map((await store.stories.getMany(decisions.map((d) => d.storyId))).map((s) => [s.id, s]));
  await store.matches.setEvents(
    decisions
      .filter((d) => d.relevant && keys[d.storyId])
      .map((d) => ({
        storyId: d.storyId,
        clusterKey: keys[d.storyId]!,
        note: 'test',
        outlet: eventOutlet(stored.get(d.storyId)!),
      })),
  );
}

const signing: Story[] = [
  story({ id: 'a', title: 'Japan and US sign rare earth deal', url: 'https://www.reuters.com/a' }),
  story({
    id: 'b',
    title: 'Japan and US sign rare earth deal in Tokyo - Nikkei Asia',
    url: 'https://asia.nikkei.com/b',
    published: '2025-10-28T11:00:00.000Z', // after it was first seen: a clock error, first seen counts
  }),
  story({ id: 'c', title: 'US, Japan sign minerals pact', url: 'https://www.reuters.com/c', published: null }),
];

forEachEngine('events', (store) => {
  describe('the events table', () => {
    it('follows decisions and event keys as they are saved: counts, times, brief, outlets, and the lead it is given', async () => {
      const m = () => store().matches;
      await store().stories.upsert(signing, { seenAt: SEEN });
      await file(
        store(),
        [decision('a', { score: 0.7 }), decision('b', { score: 0.7 }), decision('c', { score: 0.9, briefId: null })],
        { a: 'a', b: 'a', c: 'a' },
      );
      expect((await m().events(['a'])).get('a')).toEqual({
        key: 'a',
        briefId: 'minerals',
        firstSeen: SEEN,
        newest: SEEN, // b was published after first seen, c is undated: both count from first seen
        storyCount: 3,
        outletCount: 2, // a and c are both Reuters
        outlets: ['Reuters', 'Nikkei Asia'],
        leadId: null,
        leadScore: null,
        bestScore: 0.9,
      });
      expect(await m().eventsWithoutLead(10)).toEqual(['a']);
      expect(await m().eventBriefCounts('a')).toEqual([
        { briefId: null, count: 1 },
        { briefId: 'minerals', count: 2 },
      ]);
      expect(await m().eventBriefCountsOf(['nope', 'a'])).toEqual(
        new Map([
          ['nope', []],
          ['a', await m().eventBriefCounts('a')],
        ]),
      );

      await m().completeEvents([{ key: 'a', leadId: 'c' }]);
      expect((await m().events(['a'])).get('a')).toMatchObject({ leadId: 'c', leadScore: 0.9, outletCount: 2 });
      expect(await m().eventsWithoutLead(10)).toEqual([]);

      // Attached through its event: the brief counts move; nothing else is computed again.
      await m().save([decision('c', { score: 0.9, briefId: 'minerals' })]);
      expect(await m().eventBriefCounts('a')).toEqual([{ briefId: 'minerals', count: 3 }]);
      expect((await m().events(['a'])).get('a')).toMatchObject({ leadId: 'c', outletCount: 2 });

      // A member whose score changes: the event is computed again and waits for its lead and outlets.
      await m().save([decision('c', { score: 0.5, briefId: 'other' })]);
      expect(await m().eventsWithoutLead(10)).toEqual(['a']);
      expect((await m().events(['a'])).get('a')).toMatchObject({
        briefId: 'minerals',
        leadId: null,
        leadScore: null,
        storyCount: 3,
        bestScore: 0.7,
        outletCount: 0,
        outlets: [],
      });
      expect(await m().eventBriefCounts('a')).toEqual([
        { briefId: 'minerals', count: 2 },
        { briefId: 'other', count: 1 },
      ]);

      // Outlets given with the lead replace the event's, each counted once, in the order given.
      const stored = await store().stories.getMany(['a', 'b', 'c']);
      await m().completeEvents([{ key: 'a', leadId: 'b', outlets: stored.map(eventOutlet) }]);
      expect((await m().events(['a'])).get('a')).toMatchObject({
        leadId: 'b',
        leadScore: 0.7,
        outletCount: 2,
        outlets: ['Reuters', 'Nikkei Asia'],
      });
      // Filing a story again counts no outlet twice.
      await m().setEvents([{ storyId: 'c', clusterKey: 'a', note: 'again', outlet: eventOutlet(stored[2]!) }]);
      expect((await m().events(['a'])).get('a')).toMatchObject({ outletCount: 2, leadId: 'b' });

      // A story that stops being relevant leaves its event.
      await m().save([decision('c', { relevant: false, score: 0.5, briefId: null })]);
      expect((await m().events(['a'])).get('a')).toMatchObject({ storyCount: 2, leadId: null });
      expect(await m().eventBriefCounts('a')).toEqual([{ briefId: 'minerals', count: 2 }]);

      // One moved to another event: both are computed again.
      await m().save([decision('b', { score: 0.7, clusterKey: 'b' })]);
      const both = await m().events(['b', 'a', 'zzz']);
      expect([...both.keys()]).toEqual(['b', 'a']);
      expect(both.get('a')).toMatchObject({ storyCount: 1, bestScore: 0.7, leadId: null });
      expect(both.get('b')).toMatchObject({ storyCount: 1, briefId: 'minerals', leadId: null });
      expect(await m().eventsWithoutLead(10)).toEqual(['a', 'b']);
      expect(await m().eventsWithoutLead(1)).toEqual(['a']);

      // Its last member gone, the event is gone.
      await m().save([decision('a', { relevant: false })]);
      expect((await m().events(['a'])).size).toBe(0);
      expect(await m().eventBriefCounts('a')).toEqual([]);
    });

    it('takes the brief most members are tied to, counts outlets exactly while listing a bounded number, and skips backlog', async () => {
      const many = Array.from({ length: 25 }, (_, i) =>
        story({ id: `s${i}`, url: `https://outlet${i}.example/${i}`, title: 'Rare earth talks' }),
      );
      await store().stories.upsert(many, { seenAt: SEEN });
      await store().stories.upsert(
        [story({ id: 'old', url: 'https://archive.example/old', published: '2024-01-01T00:00:00.000Z' })],
        { seenAt: SEEN, backlogBefore: '2025-01-01T00:00:00.000Z' },
      );
      const decisions = many.map((s, i) => decision(s.id, { briefId: i < 10 ? 'a-brief' : i < 22 ? 'b-brief' : null }));
      const keys = Object.fromEntries([...many.map((s) => [s.id, 'k']), ['old', 'k']]);
      await file(store(), [...decisions, decision('old', { score: 1 })], keys);
      const row = (await store().matches.events(['k'])).get('k')!;
      expect(row.briefId).toBe('b-brief');
      expect(row.storyCount).toBe(25);
      expect(row.outletCount).toBe(25);
      expect(row.outlets).toHaveLength(20);
      expect(row.outlets[0]).toBe(eventOutlet((await store().stories.getMany(['s0']))[0]!).name);
      // The backlog story counts for the brief tally (as eventBriefCounts always did) but never scores or counts.
      expect(row.bestScore).toBe(0.8);
      expect((await store().matches.eventBriefCounts('k')).find((c) => c.briefId === 'minerals')?.count).toBe(1);
      const ids = (await store().matches.eventStoryIds(['k'])).get('k')!;
      expect(ids).toEqual(many.map((s) => s.id));
    });

    it('answers "the newest events of these briefs since T", newest first and bounded', async () => {
      const dated = ['2025-10-25', '2025-10-26', '2025-10-27', '2025-10-28'].map((day, i) =>
        story({ id: `e${i}`, url: `https://www.reuters.com/e${i}`, published: `${day}T08:00:00.000Z` }),
      );
      await store().stories.upsert(dated, { seenAt: SEEN });
      await file(
        store(),
        dated.map((s, i) => decision(s.id, { briefId: i % 2 ? 'odd' : 'even', score: 0.5 + i / 10 })),
        Object.fromEntries(dated.map((s) => [s.id, s.id])),
      );
      await store().matches.completeEvents([{ key: 'e3', leadId: 'e3' }]);
      const keys = async (q: EventQuery) => (await store().matches.latestEvents(q)).map((e) => e.key);
      expect(await keys({ briefIds: ['even', 'odd'], limit: 10 })).toEqual(['e3', 'e2', 'e1', 'e0']);
      expect(await keys({ briefIds: ['even', 'odd', 'odd'], limit: 2 })).toEqual(['e3', 'e2']);
      expect(await keys({ briefIds: ['odd'], limit: 10 })).toEqual(['e3', 'e1']);
      expect(await keys({ briefIds: ['even', 'odd'], since: '2025-10-26T00:00:00.000Z', limit: 10 })).toEqual([
        'e3',
        'e2',
        'e1',
      ]);
      expect(await keys({ briefIds: ['even', 'odd'], minScore: 0.65, limit: 10 })).toEqual(['e3', 'e2']);
      expect(await keys({ briefIds: [], limit: 10 })).toEqual([]);
      expect(await keys({ briefIds: ['odd'], limit: 0 })).toEqual([]);
      expect(await store().matches.latestEvents({ briefIds: ['odd'], limit: 10 })).toEqual([
        {
          key: 'e3',
          briefId: 'odd',
          newest: '2025-10-28T08:00:00.000Z',
          storyCount: 1,
          outletCount: 1,
          leadId: 'e3',
          leadScore: 0.8,
          bestScore: 0.8,
        },
        {
          key: 'e1',
          briefId: 'odd',
          newest: '2025-10-26T08:00:00.000Z',
          storyCount: 1,
          outletCount: 1,
          leadId: null,
          leadScore: null,
          bestScore: 0.6,
        },
      ]);
    });

    it('eventStoryIds: the visible relevant stories of each event, oldest stored first, optionally first seen since T', async () => {
      await store().stories.upsert([story({ id: 'p' }), story({ id: 'q' })], { seenAt: SEEN });
      await store().stories.upsert([story({ id: 'r' }), story({ id: 's' })], { seenAt: '2025-10-29T00:00:00.000Z' });
      await file(store(), [decision('p'), decision('q'), decision('r'), decision('s', { relevant: false })], {
        p: 'p',
        q: 'p',
        r: 'r',
      });
      await store().matches.setCluster(['s'], 'p');
      const all = await store().matches.eventStoryIds(['r', 'p', 'none', 'p']);
      expect([...all.entries()]).toEqual([
        ['r', ['r']],
        ['p', ['p', 'q']],
      ]);
      const since = await store().matches.eventStoryIds(['p', 'r'], '2025-10-28T12:00:00.000Z');
      expect([...since.entries()]).toEqual([['r', ['r']]]);
      expect((await store().matches.eventStoryIds([])).size).toBe(0);
    });

    it('spans its members: earliest first seen, newest story time, whether folded in one by one or computed again', async () => {
      await store().stories.upsert([story({ id: 'mid' })], { seenAt: SEEN });
      await store().stories.upsert([story({ id: 'late', published: null })], { seenAt: '2025-10-29T00:00:00.000Z' });
      await store().stories.upsert([story({ id: 'early', published: '2025-10-27T08:00:00.000Z' })], {
        seenAt: '2025-10-27T12:00:00.000Z',
      });
      const span = { firstSeen: '2025-10-27T12:00:00.000Z', newest: '2025-10-29T00:00:00.000Z', storyCount: 3 };
      for (const id of ['mid', 'late', 'early']) await file(store(), [decision(id, { score: 0.6 })], { [id]: 'mid' });
      expect((await store().matches.events(['mid'])).get('mid')).toMatchObject({ ...span, bestScore: 0.6 });
      await store().matches.save([decision('early', { score: 0.9 })]);
      expect((await store().matches.events(['mid'])).get('mid')).toMatchObject({ ...span, bestScore: 0.9 });
    });
  });
});
