import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller } from '../../src/feeds/poller.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { fetchFailure } from '../../src/feeds/feed-types.js';
import { feedsConfig, httpError, jsonParse, ok, scriptedFetch } from './poller-fixtures.js';

const T0 = new Date('2025-10-28T00:00:00.000Z');
let store: Store;
let poller: Poller | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  store = openSyncStore(':memory:');
});
afterEach(async () => {
  const stopping = poller?.stop();
  await vi.advanceTimersByTimeAsync(minutes(10)); // let fake in-flight polls finish
  await stopping;
  poller = undefined;
  store.close();
  vi.useRealTimers();
});

const minutes = (n: number) => n * 60_000;
/** Polls of a feed, as minutes after T0. */
const pollTimes = (calls: { feedId: string }[], at: number[], id: string) =>
  at.filter((_, i) => calls[i]!.feedId === id);

function startPoller(feeds: Record<string, unknown>[], answer: Parameters<typeof scriptedFetch>[0], defaults = {}) {
  const fetch = scriptedFetch(answer);
  const at: number[] = [];
  const fetchFeed = (req: Parameters<typeof fetch.fetchFeed>[0]) => {
    at.push((Date.now() - T0.getTime()) / 60_000);
    return fetch.fetchFeed(req);
  };
  poller = new Poller({
    store: asyncFromSync(store),
    getFeeds: () => feedsConfig(feeds, defaults),
    fetchFeed,
    parseFeed: jsonParse,
    random: () => 0.5,
  });
  poller.start();
  return { calls: fetch.calls, at };
}

describe('poller cadence (node-cron tick, fake time)', () => {
  it('polls each feed on its own interval', async () => {
    const { calls, at } = startPoller(
      [
        { id: 'fast', url: 'https://a.example/feed', poll_interval: '5m' },
        { id: 'slow', url: 'https://b.example/feed', poll_interval: '15m' },
        { id: 'off', url: 'https://c.example/feed', enabled: false },
      ],
      () => ok([]),
    );
    await vi.advanceTimersByTimeAsync(minutes(31));
    expect(pollTimes(calls, at, 'fast')).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(pollTimes(calls, at, 'slow')).toEqual([0, 15, 30]);
    expect(calls.some((c) => c.feedId === 'off')).toBe(false);
  });

  it('adds jitter so feeds added together drift apart', async () => {
    const fetch = scriptedFetch(() => ok([]));
    let r = 0;
    poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'a', url: 'https://a.example/f', poll_interval: '10m' }]),
      fetchFeed: fetch.fetchFeed,
      parseFeed: jsonParse,
      random: () => (r++ % 2 ? 1 : 0),
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(1);
    const due = store.feeds.get('a')!.nextDueAt!;
    expect(Date.parse(due) - T0.getTime()).toBe(minutes(9)); // 10m − 10 %
  });

  it('backs off exponentially on failures and honours Retry-After', async () => {
    const { calls, at } = startPoller(
      [
        { id: 'broken', url: 'https://a.example/feed', poll_interval: '5m' },
        { id: 'limited', url: 'https://b.example/feed', poll_interval: '5m' },
      ],
      (req, n) =>
        req.feedId === 'broken' ? httpError(500) : n === 1 ? httpError(429, { retryAfterMs: minutes(42) }) : ok([]),
    );
    await vi.advanceTimersByTimeAsync(minutes(80));
    expect(pollTimes(calls, at, 'broken')).toEqual([0, 5, 15, 35, 75]); // +5, +10, +20, +40
    expect(pollTimes(calls, at, 'limited').slice(0, 2)).toEqual([0, 42]);
    expect(store.feeds.get('broken')).toMatchObject({ status: 'failing', consecutiveFailures: 5, lastStatus: 500 });
  });

  it('never polls a dead feed again until its URL changes', async () => {
    let url = 'https://a.example/old';
    const fetch = scriptedFetch((req) => (req.url.endsWith('/old') ? httpError(410) : ok([])));
    poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'a', url, poll_interval: '1m' }]),
      fetchFeed: fetch.fetchFeed,
      parseFeed: jsonParse,
      random: () => 0.5,
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(minutes(10));
    expect(fetch.calls).toHaveLength(1);
    expect(store.feeds.get('a')).toMatchObject({ status: 'dead', nextDueAt: null });
    url = 'https://a.example/new';
    await vi.advanceTimersByTimeAsync(minutes(1));
    expect(fetch.calls.map((c) => c.url)).toEqual(['https://a.example/old', 'https://a.example/new']);
    expect(store.feeds.get('a')).toMatchObject({ status: 'ok', url: 'https://a.example/new' });
  });

  it('never runs the same feed twice at once, even when a poll outlasts its interval', async () => {
    let running = 0;
    let maxRunning = 0;
    const { calls, at } = startPoller(
      [{ id: 'slow', url: 'https://a.example/feed', poll_interval: '1m' }],
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, minutes(3)));
        running--;
        return ok([]);
      },
    );
    await vi.advanceTimersByTimeAsync(minutes(10));
    expect(maxRunning).toBe(1);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // Each poll starts only after the previous one ended (3 minutes each).
    at.slice(1).forEach((t, i) => expect(t - at[i]!).toBeGreaterThanOrEqual(3));
  });

  it('stop() aborts a fetch under way and ends its poll at once: the feed keeps its state, nothing runs afterwards', async () => {
    let finished = false;
    const { calls } = startPoller(
      [{ id: 'a', url: 'https://a.example/feed', poll_interval: '1m' }],
      (req) =>
        // A slow server: answers after 5 s unless the fetch is aborted first (as fetchFeed does).
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            finished = true;
            resolve(ok([{ id: 'x' }]));
          }, 5_000);
          req.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(fetchFailure('aborted', 'the fetch was cancelled'));
          });
        }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    let stopped = false;
    const stopping = poller!.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    await stopping;
    expect(stopped).toBe(true);
    expect(finished).toBe(false);
    expect(store.stories.get('x')).toBeNull();
    // Not a failure of the feed: its state is as it was (never polled), so the next start polls it at once.
    expect(store.feeds.get('a')).toBeNull();
    await vi.advanceTimersByTimeAsync(minutes(10));
    expect(calls).toHaveLength(1);
  });
});
