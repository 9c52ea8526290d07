import { EVENT_READ_LIMIT } from '../digests/read-events.js';
import { groupEvents, newsEvent, type EventMember, type NewsEvent } from '../events/news-event.js';
import type { StoredDecision } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import type { StoredStory } from '../store/story.js';

/**
 * Stored stories as events for chat answers (/deal latest, /deal search): each
 * story under its stored event key (a story not clustered yet is its own event),
 * scored by its stored decision.
 */
export function storedEvents(stories: StoredStory[], decisions: Map<string, StoredDecision>): NewsEvent[] {
  const members: EventMember[] = stories.map((story) => ({ story, score: decisions.get(story.id)?.score ?? 0 }));
  return groupEvents(members, (m) => decisions.get(m.story.id)?.clusterKey ?? m.story.id);
}

/**
 * Adds the other stored stories of each event (up to a bound), so its lead and
 * "covered by" count them. Call it on the events shown, not on every candidate.
 */
export async function withWholeEvents(events: NewsEvent[], store: AsyncStore): Promise<NewsEvent[]> {
  const whole: NewsEvent[] = [];
  for (const e of events) {
    const known = new Set(e.members.map((m) => m.story.id));
    const others = (await store.matches.clusterMembers(e.key, EVENT_READ_LIMIT)).filter((d) => !known.has(d.storyId));
    if (!others.length) {
      whole.push(e);
      continue;
    }
    const scores = new Map(others.map((d) => [d.storyId, d.score]));
    const extra = (await store.stories.getMany(others.map((d) => d.storyId))).map((story) => ({
      story,
      score: scores.get(story.id) ?? 0,
    }));
    whole.push(newsEvent(e.key, [...e.members, ...extra]));
  }
  return whole;
}
