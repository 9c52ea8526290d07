import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/feeds/host-limiter.js';
import { pollFeed, type PollDeps } from '../../src/feeds/poll-feed.js';
import { silentLogger } from '../../src/log/logger.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { feedsConfig, jsonParse, ok } from './poller-fixtures.js';

/**
 * A big feed is stored in slices with a turn of the event loop between them, so
 * the bot answers users meanwhile; the poll's time includes storing and the
 * new-stories hook; a stop lands between slices and leaves the feed's state as it
 * was (the next poll reads the feed again). Turns of the loop are counted, never timed.
 */

const ITEMS = 5_000;
let store: Store;
beforeEach(() => {
  store = openSyncStore(':memory:');
});
afterEach(() => store.close());

const config = feedsConfig([{ id: 'wire', url: 'https://wire.example/feed.xml' }]);
const feed = config.list[0]!;
const stories = Array.from({ length: ITEMS }, (_, i) => ({ id: `s${i}`, title: `Story ${i}` }));

function deps(extra: Partial<PollDeps> = {}): PollDeps {
  return {
    store: asyncFromSync(store),
    defaults: config.defaults,
    fetchFeed: async () => ok(stories, { etag: '"v1"' }),
    parseFeed: jsonParse,
    logger: silentLogger(),
    now: () => new Date('2025-10-28T00:00:00Z'),
    random: () => 0.5,
    userAgent: 'test',
    failuresBeforeNotice: 3,
    notFoundBeforeDead: 5,
    ...extra,
  };
}

/** Counts turns of the event loop until stopped. */
function loopTurns(): { turns: () => number; stop: () => void } {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turns: () => turns, stop: () => (running = false) };
}

/** Records the size of every upsert call (one transaction each). */
function upsertSizes(onCall?: (n: number) => void): number[] {
  const sizes: number[] = [];
  const upsert = store.stories.upsert.bind(store.stories);
  store.stories.upsert = (batch, options) => {
    sizes.push(batch.length);
    const result = upsert(batch, options);
    onCall?.(sizes.length);
    return result;
  };
  return sizes;
}

describe('pollFeed stores a big feed in slices', () => {
  it('stores 5,000 stories in several transactions, letting the event loop turn between them', async () => {
    const sizes = upsertSizes();
    let matched: string[] = [];
    const loop = loopTurns();
    const outcome = await pollFeed(
      feed,
      deps({
        onNewStories: async (ids) => {
          await new Promise((r) => setTimeout(r, 20));
          matched = ids;
        },
      }),
    );
    loop.stop();
    expect(outcome).toMatchObject({ kind: 'ok', inserted: ITEMS });
    expect(store.stories.count()).toBe(ITEMS);
    expect(matched).toHaveLength(ITEMS);
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ITEMS);
    expect(loop.turns()).toBeGreaterThanOrEqual(sizes.length - 1);
    // The per-feed time covers storing and the new-stories hook (which took at least 20 ms here).
    expect(outcome.timings.store).toBeGreaterThan(0);
    expect(outcome.timings.match).toBeGreaterThanOrEqual(19);
    const { fetch, parse, store: storing, match } = outcome.timings;
    expect(outcome.durationMs).toBeGreaterThanOrEqual(fetch + parse + storing + match - 1);
    expect(store.feeds.get('wire')!.etag).toBe('"v1"');
  });

  it('a stop lands between slices: what was stored stays, the feed state is untouched, the hook is not called', async () => {
    const stop = new AbortController();
    const sizes = upsertSizes((n) => n === 2 && stop.abort());
    let hooked = false;
    await expect(
      pollFeed(feed, deps({ signal: stop.signal, onNewStories: () => void (hooked = true) })),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(sizes).toHaveLength(2);
    expect(store.stories.count()).toBe(sizes[0]! + sizes[1]!);
    expect(store.stories.count()).toBeLessThan(ITEMS);
    // No ETag saved: the next poll reads the whole feed again and stores the rest.
    expect(store.feeds.get('wire')).toBeNull();
    expect(hooked).toBe(false);
    // Every stored story waits in the undecided queue.
    expect(store.matches.undecided(ITEMS)).toHaveLength(store.stories.count());
  });

  it('a stop during the fetch ends the poll without counting it as the feed failing', async () => {
    const stop = new AbortController();
    const fetchFeed: PollDeps['fetchFeed'] = async () => {
      stop.abort();
      return {
        kind: 'error',
        status: null,
        reason: 'aborted',
        message: 'the fetch was cancelled',
        retryAfterMs: null,
        gone: false,
      };
    };
    await expect(pollFeed(feed, deps({ signal: stop.signal, fetchFeed }))).rejects.toBeInstanceOf(CancelledError);
    expect(store.feeds.get('wire')).toBeNull();
  });
});
