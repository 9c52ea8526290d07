import type { MatchService } from '../bot/match-service.js';
import type { AsyncStore } from '../store/async-store.js';
import type { Story } from '../store/story.js';
import type { SyntheticStory } from './synthetic-news.js';

/** When the benches' stored news begins; ten days of it follow. */
export const BENCH_START = Date.parse('2025-10-20T00:00:00Z');
const DAY = 86_400_000;
const PER_POLL = 1_000;

/** Synthetic story `i` as a feed would carry it, published at `at`. */
export function benchStory(news: SyntheticStory[], i: number, at: number): Story {
  return {
    id: `url:https://news.example/${i}`,
    feedId: `feed-${i % 50}`,
    title: news[i]!.title,
    summary: news[i]!.summary,
    url: `https://www${i % 40}.news.example/${i}`,
    published: new Date(at).toISOString(),
    author: null,
    lang: 'en',
  };
}

/**
 * The store as ten days of polls of 1,000 stories each left it: `count` stories stored
 * and decided through the real match step. `setNow` moves the match step's clock to each
 * poll. Shared by the benches that read or add to a full store (event-bench, pg-reads-bench).
 */
export async function fillTenDays(
  store: AsyncStore,
  matching: MatchService,
  count: number,
  toStory: (i: number, at: number) => Story,
  setNow: (now: Date) => void,
): Promise<void> {
  for (let i = 0; i < count; i += PER_POLL) {
    const at = BENCH_START + (i / count) * 10 * DAY;
    const now = new Date(at + 60_000);
    setNow(now);
    const batch = Array.from({ length: Math.min(PER_POLL, count - i) }, (_, k) => toStory(i + k, at + k * 500));
    await matching.matchStories((await store.stories.upsert(batch, { seenAt: now.toISOString() })).insertedIds);
  }
}
