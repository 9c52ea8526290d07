import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { story } from './story-factory.js';

const seenAt = '2025-10-28T10:00:00.000Z';
let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

describe('stories are stored once', () => {
  it('inserts new stories and reports their ids', () => {
    const r = store.stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, insertedIds: ['a', 'b'], backlogIds: [] });
    expect(store.stories.count()).toBe(2);
    expect(store.stories.get('a')).toMatchObject({ id: 'a', firstSeen: seenAt, backlog: false, feedIds: ['feed-a'] });
  });

  it('the same id again is unchanged, even when the publisher re-dates it', () => {
    store.stories.upsert([story({ id: 'a' })], { seenAt });
    const r = store.stories.upsert([story({ id: 'a', published: '2025-10-29T00:00:00Z' })], {
      seenAt: '2025-10-29T01:00:00.000Z',
    });
    expect(r).toMatchObject({ inserted: 0, unchanged: 1, insertedIds: [] });
    expect(store.stories.get('a')).toMatchObject({ firstSeen: seenAt, published: '2025-10-28T09:00:00.000Z' });
  });

  it('a kept guid with a new title updates the title and summary', () => {
    store.stories.upsert([story({ id: 'a', title: 'Japan, US sign deal' })], { seenAt });
    const r = store.stories.upsert(
      [story({ id: 'a', title: 'Japan, US sign rare-earths deal', summary: 'More detail' })],
      { seenAt },
    );
    expect(r).toMatchObject({ inserted: 0, updated: 1, updatedIds: ['a'] });
    expect(store.stories.get('a')).toMatchObject({ title: 'Japan, US sign rare-earths deal', summary: 'More detail' });
    expect(store.stories.search('rare earths', 5).map((s) => s.id)).toEqual(['a']);
  });

  it('an empty title never wipes a good one', () => {
    store.stories.upsert([story({ id: 'a', title: 'Good title' })], { seenAt });
    store.stories.upsert([story({ id: 'a', title: '' })], { seenAt });
    expect(store.stories.get('a')!.title).toBe('Good title');
  });

  it('the same canonical URL from another feed is the same story, and both feeds are recorded', () => {
    const url = 'https://www.reuters.com/world/japan-us-rare-earths-2025-10-28/';
    store.stories.upsert([story({ id: 'reuters-guid-1', feedId: 'reuters', url })], { seenAt });
    const r = store.stories.upsert([story({ id: 'https://news.google.com/x', feedId: 'gnews', url })], {
      seenAt: '2025-10-28T11:00:00.000Z',
    });
    expect(r).toMatchObject({ inserted: 0, unchanged: 1 });
    expect(store.stories.count()).toBe(1);
    expect(store.stories.get(url)).toMatchObject({
      id: 'reuters-guid-1',
      feedId: 'reuters',
      feedIds: ['reuters', 'gnews'],
    });
  });

  it("another feed's headline for the same URL does not overwrite the title", () => {
    store.stories.upsert([story({ id: 'r1', feedId: 'reuters', title: 'Japan, US sign deal' })], { seenAt });
    const r = store.stories.upsert(
      [story({ id: 'g1', feedId: 'gnews', url: 'https://example.com/r1', title: 'Japan, US sign deal - Reuters' })],
      { seenAt },
    );
    expect(r).toMatchObject({ updated: 0, unchanged: 1 });
    expect(store.stories.get('r1')!.title).toBe('Japan, US sign deal');
  });

  it('duplicates inside one batch are stored once', () => {
    const r = store.stories.upsert(
      [story({ id: 'a' }), story({ id: 'a' }), story({ id: 'c', url: 'https://example.com/a' })],
      { seenAt },
    );
    expect(r).toMatchObject({ inserted: 1, unchanged: 2 });
  });

  it('stories without a URL are kept by id', () => {
    store.stories.upsert([story({ id: 'x', url: null }), story({ id: 'y', url: null })], { seenAt });
    expect(store.stories.count()).toBe(2);
  });
});

describe('backlog', () => {
  it('marks new stories published before the cut as backlog, never known ones', () => {
    const r = store.stories.upsert(
      [
        story({ id: 'old', published: '2025-10-01T00:00:00Z' }),
        story({ id: 'fresh', published: '2025-10-28T08:00:00+09:00' }),
        story({ id: 'undated', published: null }),
      ],
      { seenAt, backlogBefore: '2025-10-25T10:00:00.000Z' },
    );
    expect(r.backlogIds).toEqual(['old']);
    expect(r.insertedIds).toEqual(['old', 'fresh', 'undated']);
    expect(store.stories.get('old')!.backlog).toBe(true);
    expect(store.stories.get('fresh')).toMatchObject({ backlog: false, published: '2025-10-27T23:00:00.000Z' });
  });

  it('recent() leaves backlog out unless asked', () => {
    store.stories.upsert([story({ id: 'old', published: '2025-10-01T00:00:00Z' })], {
      seenAt,
      backlogBefore: '2025-10-25T00:00:00Z',
    });
    store.stories.upsert([story({ id: 'new' })], { seenAt });
    expect(store.stories.recent({ limit: 10 }).map((s) => s.id)).toEqual(['new']);
    expect(store.stories.recent({ limit: 10, includeBacklog: true }).map((s) => s.id)).toEqual(['new', 'old']);
  });
});

describe('recent', () => {
  it('sorts by published time, first-seen standing in for undated stories', () => {
    store.stories.upsert(
      [
        story({ id: 'mid', published: '2025-10-27T00:00:00Z' }),
        story({ id: 'undated', published: null }), // first seen 2025-10-28T10:00
        story({ id: 'late', published: '2025-10-28T09:30:00Z' }),
        story({ id: 'bad-date', published: 'not a date' }),
      ],
      { seenAt },
    );
    expect(store.stories.recent({ limit: 10 }).map((s) => s.id)).toEqual(['bad-date', 'undated', 'late', 'mid']);
    expect(store.stories.recent({ limit: 2, since: '2025-10-28T00:00:00Z' }).map((s) => s.id)).toEqual([
      'bad-date',
      'undated',
    ]);
    expect(store.stories.recent({ limit: 10, seenSince: '2025-10-29T00:00:00Z' })).toEqual([]);
  });

  it('getMany keeps the order asked and skips unknown ids', () => {
    store.stories.upsert([story({ id: 'a' }), story({ id: 'b' })], { seenAt });
    expect(store.stories.getMany(['b', 'zzz', 'a']).map((s) => s.id)).toEqual(['b', 'a']);
  });
});

describe('upsert is atomic per batch', () => {
  it('a failing story stores nothing of its batch', () => {
    const bad = { ...story({ id: 'bad' }), title: null as unknown as string };
    expect(() => store.stories.upsert([story({ id: 'a' }), bad], { seenAt })).toThrow();
    expect(store.stories.count()).toBe(0);
    expect(store.stories.search('title', 10)).toEqual([]);
  });
});
