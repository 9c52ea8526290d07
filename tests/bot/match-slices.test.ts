import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BriefRegistry } from '../../src/briefs/brief-registry.js';
import { MatchService } from '../../src/bot/match-service.js';
import { configSchema } from '../../src/config/schema.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { makeBrief } from '../matching/make-brief.js';

/**
 * The poll's new-stories hook decides a big batch in slices with a turn of the
 * event loop between them, and stops between slices when the bot stops: the
 * stories not decided yet stay in the undecided queue. Turns are counted, not timed.
 */

const N = 3_000;
let store: Store;
let service: MatchService;
beforeEach(() => {
  store = openSyncStore(':memory:');
  const briefs = new BriefRegistry(
    [makeBrief('minerals', { groups: { japan: ['Japan'], us: ['US'] }, strong: ['rare earth'] })],
    'minerals',
  );
  const config = configSchema.parse({});
  service = new MatchService({ store: asyncFromSync(store), getBriefs: () => briefs, getConfig: () => config });
});
afterEach(() => store.close());

function stored(n: number): string[] {
  const stories: Story[] = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    feedId: 'wire',
    title: i % 10 === 0 ? `Japan and US agree rare earth pact, part ${i}` : `Council approves park budget item ${i}`,
    summary: '',
    url: `https://news.example.com/${i}`,
    published: new Date(Date.UTC(2025, 9, 1) + i * 60_000).toISOString(),
    author: null,
    lang: 'en',
  }));
  return store.stories.upsert(stories, { seenAt: '2025-10-02T00:00:00Z' }).insertedIds;
}

/** Records the size of each slice decided. */
function sliceSizes(onCall?: (n: number) => void): number[] {
  const sizes: number[] = [];
  const decide = service.matchStories.bind(service);
  service.matchStories = (ids) => {
    sizes.push(ids.length);
    const decisions = decide(ids);
    onCall?.(sizes.length);
    return decisions;
  };
  return sizes;
}

describe('deciding new stories in slices', () => {
  it('decides 3,000 new stories in several slices, letting the event loop turn between them', async () => {
    const ids = stored(N);
    const sizes = sliceSizes();
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await service.onNewStories(ids);
    running = false;
    expect(store.matches.undecided(N)).toEqual([]);
    expect(sizes.length).toBeGreaterThan(1);
    expect(turns).toBeGreaterThanOrEqual(sizes.length - 1);
  });

  it('stops between slices once stop() is called; the rest wait in the undecided queue', async () => {
    const ids = stored(N);
    let stopping: Promise<void> | undefined;
    const sizes = sliceSizes((n) => {
      if (n === 1) stopping ??= service.stop();
    });
    await service.onNewStories(ids);
    await stopping;
    expect(sizes).toHaveLength(1);
    expect(store.matches.undecided(N)).toHaveLength(N - sizes[0]!);
  });
});
