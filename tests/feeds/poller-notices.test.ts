import { asyncFromSync } from '../../src/store/async-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchResult } from '../../src/feeds/feed-types.js';
import { Poller } from '../../src/feeds/poller.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { feedsConfig, httpError, jsonParse, noticeBox, ok, scriptedFetch } from './poller-fixtures.js';

const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

/** A poller over a scripted fetch; each pollOnce is one poll of every feed. */
function setup(
  answers: FetchResult[],
  options: { file?: string; notify?: boolean; feeds?: Record<string, unknown>[] } = {},
) {
  const store = openSyncStore(options.file ?? ':memory:');
  stores.push(store);
  const box = noticeBox();
  const fetch = scriptedFetch((_req, n) => answers[Math.min(n, answers.length) - 1]!);
  const poller = new Poller({
    store: asyncFromSync(store),
    getFeeds: () =>
      feedsConfig(options.feeds ?? [{ id: 'metals', url: 'https://metals.example/rss', note: 'Metals desk' }]),
    fetchFeed: fetch.fetchFeed,
    parseFeed: jsonParse,
    ...(options.notify === false ? {} : { notify: box.notify }),
  });
  return { store, poller, box, fetch };
}

async function pollTimes(poller: Poller, n: number) {
  for (let i = 0; i < n; i++) await poller.pollOnce();
}

describe('feed notices for admins', () => {
  it('410 marks the feed dead with exactly one notice, and it is not fetched again', async () => {
    const { poller, box, store, fetch } = setup([
      httpError(410, { message: 'The server says this feed is gone (HTTP 410).' }),
    ]);
    const [outcome] = await poller.pollOnce();
    expect(outcome).toMatchObject({ feedId: 'metals', kind: 'error', status: 410 });
    await pollTimes(poller, 3);
    expect(fetch.calls).toHaveLength(1);
    expect(box.titles()).toEqual(['Feed "metals" is dead and no longer polled']);
    expect(box.sent[0]!.tone).toBe('error');
    expect(box.sent[0]!.intro).toMatch(/gone .*URL changes/);
    expect(store.feeds.get('metals')).toMatchObject({ status: 'dead', notified: 'dead' });
    const [again] = await poller.pollOnce();
    expect(again).toMatchObject({ kind: 'dead', status: 410 });
  });

  it('404 five times in a row makes a feed dead; fewer do not', async () => {
    const { poller, box, store } = setup([httpError(404)]);
    await pollTimes(poller, 4);
    expect(store.feeds.get('metals')).toMatchObject({ status: 'failing', consecutiveFailures: 4 });
    await pollTimes(poller, 1);
    expect(store.feeds.get('metals')!.status).toBe('dead');
    expect(box.titles()).toEqual(['Feed "metals" keeps failing', 'Feed "metals" is dead and no longer polled']);
  });

  it('three failures in a row send one notice; recovery sends one more; nothing repeats', async () => {
    const { poller, box } = setup([
      httpError(null),
      httpError(500),
      httpError(503),
      httpError(500),
      httpError(500),
      ok([{ id: 'a' }]),
      ok([]),
      httpError(500),
    ]);
    await pollTimes(poller, 2);
    expect(box.sent).toHaveLength(0);
    await pollTimes(poller, 3);
    expect(box.titles()).toEqual(['Feed "metals" keeps failing']);
    expect(box.sent[0]!.intro).toMatch(/^3 polls in a row failed\. The latest: The server answered HTTP 503\./);
    await pollTimes(poller, 2);
    expect(box.titles()).toEqual(['Feed "metals" keeps failing', 'Feed "metals" works again']);
    await pollTimes(poller, 1); // a single failure after recovery: no notice
    expect(box.sent).toHaveLength(2);
  });

  it('remembers what it told admins across restarts', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-notice-')), 'db.sqlite');
    const first = setup([httpError(500)], { file });
    await pollTimes(first.poller, 3);
    expect(first.box.sent).toHaveLength(1);
    first.store.close();
    const second = setup([httpError(500), httpError(500), ok([])], { file });
    await pollTimes(second.poller, 2);
    expect(second.box.sent).toHaveLength(0);
    await pollTimes(second.poller, 1);
    expect(second.box.titles()).toEqual(['Feed "metals" works again']);
  });

  it('without a notify callback (dealbot poll --once) nothing is recorded as told, so the bot tells later', async () => {
    const { poller, store } = setup([httpError(410)], { notify: false });
    await poller.pollOnce();
    expect(store.feeds.get('metals')).toMatchObject({ status: 'dead', notified: null });
  });

  it('a notice that cannot be posted is retried on the next poll', async () => {
    const { store, fetch } = setup([httpError(500)]);
    let attempts = 0;
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url: 'https://metals.example/rss' }]),
      fetchFeed: fetch.fetchFeed,
      parseFeed: jsonParse,
      notify: () => {
        attempts++;
        if (attempts === 1) throw new Error('chat is down');
      },
    });
    await pollTimes(poller, 4);
    expect(attempts).toBe(2);
    expect(store.feeds.get('metals')!.notified).toBe('failing');
  });

  it('a new URL for a dead feed is polled, and its recovery is announced', async () => {
    let url = 'https://metals.example/old';
    const store = openSyncStore(':memory:');
    stores.push(store);
    const box = noticeBox();
    const fetch = scriptedFetch((req) =>
      req.url.endsWith('/old')
        ? httpError(410)
        : ok([{ id: 'n1' }], { movedPermanentlyTo: 'https://metals.example/newest' }),
    );
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url }]),
      fetchFeed: fetch.fetchFeed,
      parseFeed: jsonParse,
      notify: box.notify,
    });
    await poller.pollOnce();
    url = 'https://metals.example/new';
    const [outcome] = await poller.pollOnce();
    expect(outcome).toMatchObject({ kind: 'ok', inserted: 1, movedTo: 'https://metals.example/newest' });
    expect(box.titles()).toEqual(['Feed "metals" is dead and no longer polled', 'Feed "metals" works again']);
    expect(store.feeds.get('metals')).toMatchObject({
      status: 'ok',
      movedTo: 'https://metals.example/newest',
      notified: null,
    });
  });

  it('an answer that is not a feed counts as a failure, in plain words', async () => {
    const store = openSyncStore(':memory:');
    stores.push(store);
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url: 'https://metals.example/rss' }]),
      fetchFeed: async () => ok([]),
      parseFeed: () => ({ feedTitle: null, stories: [], errors: ['not a feed; no items could be recovered'] }),
    });
    const [outcome] = await poller.pollOnce();
    expect(outcome).toMatchObject({ kind: 'error', status: 200 });
    expect(outcome!.error).toMatch(/could not read a feed in it: not a feed/);
    expect(store.feeds.get('metals')!.consecutiveFailures).toBe(1);
  });
});

describe('hooks', () => {
  it('hands new story ids to onNewStories, backlog listed apart, and lets a filter drop stories', async () => {
    const store = openSyncStore(':memory:');
    stores.push(store);
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const fetch = scriptedFetch((_r, n) =>
      n === 1
        ? ok([{ id: 'old', published: old }, { id: 'new' }, { id: 'spam', title: 'Casino bonus' }])
        : ok([{ id: 'new' }, { id: 'newer' }]),
    );
    const calls: { ids: string[]; backlogIds: string[]; feedId: string }[] = [];
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url: 'https://metals.example/rss' }]),
      fetchFeed: fetch.fetchFeed,
      parseFeed: jsonParse,
      filter: (s) => ({ keep: !s.title.includes('Casino'), reason: 'excluded word' }),
      onNewStories: (ids, info) => void calls.push({ ids, ...info }),
    });
    const [first] = await poller.pollOnce();
    expect(first).toMatchObject({ inserted: 2, backlog: 1, filtered: 1 });
    await poller.pollOnce();
    expect(calls).toEqual([
      { ids: ['old', 'new'], backlogIds: ['old'], feedId: 'metals' },
      { ids: ['newer'], backlogIds: [], feedId: 'metals' },
    ]);
    expect(store.stories.get('spam')).toBeNull();
  });
});
