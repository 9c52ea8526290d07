import { newsEvent, type EventMember, type NewsEvent } from '../events/news-event.js';
import { leadMember, storedNewsEvent } from '../events/stored-event.js';
import type { EventHead } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import { rankOf } from './rank-events.js';

/** Stories of one event read to build it when no lead is stored: enough for its lead and outlets, bounded for huge events. */
export const EVENT_READ_LIMIT = 50;
/**
 * Stories of one event compared with a brief ("new: not in the brief", /deal updates):
 * its lead and some others. A few say what the event is about; reading more costs
 * every digest line time without changing what they say.
 */
export const COVERAGE_STORIES = 5;

/**
 * Rows of the events table as events to show: each lead read once (one getMany for
 * all), the outlets and counts as stored. With `withStories`, COVERAGE_STORIES of
 * each event's stories come along (to compare it with a brief). An event whose
 * lead the match step has not chosen yet (just after an upgrade) is built from its
 * stories instead, bounded by EVENT_READ_LIMIT; one with no story left is skipped.
 */
export async function fromStoredEvents(
  heads: EventHead[],
  store: AsyncStore,
  withStories = false,
): Promise<NewsEvent[]> {
  const rows = await store.matches.events(heads.map((h) => h.key));
  const leads = new Map(
    (await store.stories.getMany(heads.flatMap((h) => (h.leadId ? [h.leadId] : [])))).map((s) => [s.id, s]),
  );
  const events: NewsEvent[] = [];
  for (const head of heads) {
    const row = rows.get(head.key);
    const story = head.leadId ? leads.get(head.leadId) : undefined;
    if (!row || !story) {
      const members = await eventStories(head.key, store);
      if (members.length) events.push({ ...newsEvent(head.key, members), outletCount: head.outletCount });
      continue;
    }
    if (!withStories) {
      events.push(storedNewsEvent(row, leadMember(row, story)));
      continue;
    }
    const others = (await eventStories(row.key, store, COVERAGE_STORIES)).filter((m) => m.story.id !== story.id);
    events.push(storedNewsEvent(row, leadMember(row, story), others.slice(0, COVERAGE_STORIES - 1)));
  }
  return events;
}

/** Up to `limit` relevant stories of an event readers may see, scored. */
export async function eventStories(key: string, store: AsyncStore, limit = EVENT_READ_LIMIT): Promise<EventMember[]> {
  const decisions = (await store.matches.clusterMembers(key, limit)).filter((d) => d.relevant);
  const scores = new Map(decisions.map((d) => [d.storyId, d.score]));
  return (await store.stories.getMany(decisions.map((d) => d.storyId)))
    .filter((s) => !s.backlog)
    .map((story) => ({ story, score: scores.get(story.id) ?? 0 }));
}

/** Best first, as digests rank events (outlets, relevance, recency), read from the rows alone. */
export function rankStoredEvents(rows: EventHead[], now: Date): EventHead[] {
  return rows
    .map((r) => ({ r, newest: Date.parse(r.newest) }))
    .map((x) => ({ ...x, rank: rankOf(x.r.leadScore ?? x.r.bestScore, x.newest, x.r.outletCount, now) }))
    .sort((a, b) => b.rank - a.rank || b.newest - a.newest || a.r.key.localeCompare(b.r.key))
    .map((x) => x.r);
}
