import { newsEvent, type EventMember, type NewsEvent } from '../events/news-event.js';
import { leadMember, storedNewsEvent } from '../events/stored-event.js';
import { storyTime } from '../events/story-time.js';
import { storiesById } from '../digests/read-events.js';
import type { StoredDecision } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import type { SearchHit } from '../store/story.js';

/** Search hits of one event (its stored key; a story not clustered yet is its own), before any story is read. */
export interface HitGroup {
  key: string;
  /** The hits' ids, best match first. */
  ids: string[];
  /** The newest hit's time (storyTime), epoch ms. */
  newest: number;
  /** The best hit's relevance. */
  score: number;
}

/** Groups hits by their stored event key, keeping the order in which each event first appears. */
export function hitGroups(hits: SearchHit[], decisions: Map<string, StoredDecision>): HitGroup[] {
  const byKey = new Map<string, HitGroup>();
  for (const hit of hits) {
    const decision = decisions.get(hit.id);
    const key = decision?.clusterKey ?? hit.id;
    const group = byKey.get(key) ?? { key, ids: [], newest: -Infinity, score: -Infinity };
    group.ids.push(hit.id);
    group.newest = Math.max(group.newest, storyTime(hit));
    group.score = Math.max(group.score, decision?.score ?? 0);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/**
 * The events to show for these groups, as readers see them elsewhere: a stored
 * event (the events table) with its lead and outlets as the match step chose them,
 * read in two queries for all; a group with no stored event (a story not yet
 * clustered, or not relevant) is built from its hits. Reading every member of
 * every event shown cost two round trips an event.
 */
export async function eventsOfGroups(
  groups: HitGroup[],
  decisions: Map<string, StoredDecision>,
  store: AsyncStore,
): Promise<NewsEvent[]> {
  const rows = await store.matches.events(groups.map((g) => g.key));
  const leadOf = (g: HitGroup) => rows.get(g.key)?.leadId ?? null;
  const wanted = groups.flatMap((g) => leadOf(g) ?? g.ids);
  const stories = await storiesById(store, wanted);
  // A stored lead gone from the stories (rare: pruned since) falls back on the hits.
  const missing = groups.filter((g) => leadOf(g) !== null && !stories.has(leadOf(g)!));
  const fallback = missing.flatMap((g) => g.ids);
  for (const [id, s] of await storiesById(store, fallback)) stories.set(id, s);

  const events: NewsEvent[] = [];
  for (const g of groups) {
    const row = rows.get(g.key);
    const lead = row?.leadId ? stories.get(row.leadId) : undefined;
    if (row && lead) {
      events.push(storedNewsEvent(row, leadMember(row, lead)));
      continue;
    }
    const members: EventMember[] = g.ids.flatMap((id) => {
      const story = stories.get(id);
      return story ? [{ story, score: decisions.get(id)?.score ?? 0 }] : [];
    });
    if (members.length) events.push(newsEvent(g.key, members));
  }
  return events;
}
