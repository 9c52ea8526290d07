import { describe, expect, it } from 'vitest';
import type { FeedState } from '../../../src/store/store.js';
import { story } from '../story-factory.js';
import { forEachEngine } from './engines.js';

const seenAt = '2025-10-28T10:00:00.000Z';

forEachEngine('stories', (store) => {
  describe('stories are stored once', () => {
    it('inserts new stories and reports their ids', async () => {
      const r = await store().stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
      expect(r).toEqual({
        inserted: 2,
        updated: 0,
        unchanged: 0,
        insertedIds: ['a', 'b'],
        backlogIds: [],
        updatedIds: [],
      });
      expect(await store().stories.count()).toBe(2);
      expect(await store().stories.get('a')).toEqual({
        ...story({ id: 'a' }),
        firstSeen: seenAt,
        backlog: false,
        feedIds: ['feed-a'],
      });
    });

    it('the same id again is unchanged, even when the publisher re-dates it', async () => {
      await store().stories.upsert([story({ id: 'a' })], { seenAt });
      const r = await store().stories.upsert([story({ id: 'a', published: '2025-10-29T00:00:00Z' })], {
        seenAt: '2025-10-29T01:00:00.000Z',
      });
      expect(r).toMatchObject({ inserted: 0, unchanged: 1, insertedIds: [] });
      expect(await store().stories.get('a')).toMatchObject({
        firstSeen: seenAt,
        published: '2025-10-28T09:00:00.000Z',
      });
    });

    it('a kept guid with a new title updates the title, the summary and the search index', async () => {
      await store().stories.upsert([story({ id: 'a', title: 'Japan, US sign deal' })], { seenAt });
      const r = await store().stories.upsert(
        [story({ id: 'a', title: 'Japan, US sign rare-earths deal', summary: 'More detail' })],
        { seenAt },
      );
      expect(r).toMatchObject({ inserted: 0, updated: 1, updatedIds: ['a'] });
      expect(await store().stories.get('a')).toMatchObject({
        title: 'Japan, US sign rare-earths deal',
        summary: 'More detail',
      });
      expect((await store().stories.search('rare earths', 5)).map((s) => s.id)).toEqual(['a']);
    });

    it('an empty title never wipes a good one', async () => {
      await store().stories.upsert([story({ id: 'a', title: 'Good title' })], { seenAt });
      await store().stories.upsert([story({ id: 'a', title: '' })], { seenAt });
      expect((await store().stories.get('a'))!.title).toBe('Good title');
    });

    it('the same canonical URL from another feed is the same story, and both feeds are recorded', async () => {
      const url = 'https://www.reuters.com/world/japan-us-rare-earths-2025-10-28/';
      await store().stories.upsert([story({ id: 'reuters-guid-1', feedId: 'reuters', url })], { seenAt });
      const r = await store().stories.upsert([story({ id: 'https://news.google.com/x', feedId: 'gnews', url })], {
        seenAt: '2025-10-28T11:00:00.000Z',
      });
      expect(r).toMatchObject({ inserted: 0, unchanged: 1 });
      expect(await store().stories.count()).toBe(1);
      expect(await store().stories.get(url)).toMatchObject({
        id: 'reuters-guid-1',
        feedId: 'reuters',
        feedIds: ['reuters', 'gnews'],
      });
    });

    it("another feed's headline for the same URL does not overwrite the title", async () => {
      await store().stories.upsert([story({ id: 'r1', feedId: 'reuters', title: 'Japan, US sign deal' })], { seenAt });
      const r = await store().stories.upsert(
        [story({ id: 'g1', feedId: 'gnews', url: 'https://example.com/r1', title: 'Japan, US sign deal - Reuters' })],
        { seenAt },
      );
      expect(r).toMatchObject({ updated: 0, unchanged: 1 });
      expect((await store().stories.get('r1'))!.title).toBe('Japan, US sign deal');
    });

    it('duplicates inside one batch are stored once; stories without a URL are kept by id', async () => {
      const r = await store().stories.upsert(
        [story({ id: 'a' }), story({ id: 'a' }), story({ id: 'c', url: 'https://example.com/a' })],
        { seenAt },
      );
      expect(r).toMatchObject({ inserted: 1, unchanged: 2 });
      await store().stories.upsert([story({ id: 'x', url: null }), story({ id: 'y', url: null })], { seenAt });
      expect(await store().stories.count()).toBe(3);
    });

    it('a batch mixing new, stored and repeated stories is stored as one by one, in order', async () => {
      await store().stories.upsert([story({ id: 'k' })], { seenAt });
      const later = '2025-10-28T11:00:00.000Z';
      const r = await store().stories.upsert(
        [
          story({ id: 'a', feedId: 'feed-b' }),
          story({ id: 'k', title: 'New title of k', feedId: 'feed-b' }),
          story({ id: 'b', feedId: 'feed-b' }),
          story({ id: 'b2', url: 'https://example.com/b', title: 'Other headline', feedId: 'feed-c' }),
          story({ id: 'c', feedId: 'feed-b', published: '2025-10-01T00:00:00.000Z' }),
          story({ id: 'c', title: 'Retitled c', feedId: 'feed-b' }),
          story({ id: 'd', url: null, feedId: 'feed-b' }),
        ],
        { seenAt: later, backlogBefore: '2025-10-20T00:00:00.000Z' },
      );
      expect(r).toEqual({
        inserted: 4,
        updated: 2,
        unchanged: 1,
        insertedIds: ['a', 'b', 'c', 'd'],
        backlogIds: ['c'],
        updatedIds: ['k', 'c'],
      });
      expect((await store().stories.get('b'))!.feedIds).toEqual(['feed-b', 'feed-c']);
      expect((await store().stories.get('b'))!.title).toBe('Title of b');
      expect((await store().stories.get('c'))!.title).toBe('Retitled c');
      expect((await store().stories.get('k'))!.feedIds).toEqual(['feed-a', 'feed-b']);
      // Stored in the order given: ties of the same time come newest stored first.
      const recent = await store().stories.recent({ limit: 10, includeBacklog: true });
      expect(recent.filter((s) => ['a', 'b', 'd'].includes(s.id)).map((s) => s.id)).toEqual(['d', 'b', 'a']);
    });
    it('a failing story stores nothing of its batch', async () => {
      const bad = { ...story({ id: 'bad' }), title: null as unknown as string };
      await expect(async () => store().stories.upsert([story({ id: 'a' }), bad], { seenAt })).rejects.toThrow();
      expect(await store().stories.count()).toBe(0);
      expect(await store().stories.search('title', 10)).toEqual([]);
    });
  });

  describe('backlog and recent', () => {
    it('marks new stories published before the cut as backlog, never known ones', async () => {
      const r = await store().stories.upsert(
        [
          story({ id: 'old', published: '2025-10-01T00:00:00Z' }),
          story({ id: 'fresh', published: '2025-10-28T08:00:00+09:00' }),
          story({ id: 'undated', published: null }),
        ],
        { seenAt, backlogBefore: '2025-10-25T10:00:00.000Z' },
      );
      expect(r.backlogIds).toEqual(['old']);
      expect(r.insertedIds).toEqual(['old', 'fresh', 'undated']);
      expect((await store().stories.get('old'))!.backlog).toBe(true);
      expect(await store().stories.get('fresh')).toMatchObject({
        backlog: false,
        published: '2025-10-27T23:00:00.000Z',
      });
      expect((await store().stories.recent({ limit: 10 })).map((s) => s.id)).toEqual(['undated', 'fresh']);
      expect((await store().stories.recent({ limit: 10, includeBacklog: true })).map((s) => s.id)).toEqual([
        'undated',
        'fresh',
        'old',
      ]);
    });

    it('sorts by published time, first-seen standing in for undated stories; ties newest stored first', async () => {
      await store().stories.upsert(
        [
          story({ id: 'mid', published: '2025-10-27T00:00:00Z' }),
          story({ id: 'undated', published: null }),
          story({ id: 'late', published: '2025-10-28T09:30:00Z' }),
          story({ id: 'bad-date', published: 'not a date' }),
        ],
        { seenAt },
      );
      const ids = async (o: Parameters<ReturnType<typeof store>['stories']['recent']>[0]) =>
        (await store().stories.recent(o)).map((s) => s.id);
      expect(await ids({ limit: 10 })).toEqual(['bad-date', 'undated', 'late', 'mid']);
      expect(await ids({ limit: 2, since: '2025-10-28T00:00:00Z' })).toEqual(['bad-date', 'undated']);
      expect(await ids({ limit: 10, seenSince: '2025-10-29T00:00:00Z' })).toEqual([]);
      expect(await ids({ limit: 0 })).toEqual([]);
    });

    it('getMany keeps the order asked and skips unknown ids', async () => {
      await store().stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
      expect((await store().stories.getMany(['b', 'zzz', 'a'])).map((s) => s.id)).toEqual(['b', 'a']);
      expect(await store().stories.getMany([])).toEqual([]);
      expect(await store().stories.get('nope')).toBeNull();
    });
  });

  describe('feed state', () => {
    const state: FeedState = {
      feedId: 'feed-a',
      url: 'https://example.com/feed.xml',
      etag: '"v1"',
      lastModified: null,
      lastPollAt: seenAt,
      lastStatus: 200,
      lastSuccessAt: seenAt,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: '2025-10-28T10:15:00.000Z',
      status: 'ok',
      movedTo: null,
      notified: null,
      storyCount: 999,
    };

    it('saves, replaces and lists states, counting the stories each feed carried', async () => {
      expect(await store().feeds.get('feed-a')).toBeNull();
      await store().stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
      await store().feeds.save(state);
      expect(await store().feeds.get('feed-a')).toEqual({ ...state, storyCount: 2 });
      await store().feeds.save({
        ...state,
        status: 'failing',
        consecutiveFailures: 3,
        lastError: 'HTTP 500',
        notified: 'failing',
      });
      await store().feeds.save({ ...state, feedId: 'Feed-B', url: 'https://example.com/b.xml' });
      const list = await store().feeds.list();
      expect(list.map((s) => s.feedId)).toEqual(['Feed-B', 'feed-a']); // byte order, as SQLite sorts
      expect(list[1]).toMatchObject({ status: 'failing', consecutiveFailures: 3, notified: 'failing', storyCount: 2 });
      expect(list[0]!.storyCount).toBe(0);
    });
  });
});
