import type { StoredEvent } from '../store/match-repo.js';
import type { StoredStory } from '../store/story.js';
import { type EventMember, type NewsEvent } from './news-event.js';
import { outletKey, outletOf } from './outlet.js';

/**
 * A stored event (the events table) as readers see it, without grouping its
 * stories again: the lead the match step chose (news-event.ts's rule), the
 * outlets it counted, its newest time. `others` are stories of it read to
 * compare it with a brief (they never change the lead or the counts).
 */
export function storedNewsEvent<T extends EventMember = EventMember>(
  event: StoredEvent,
  lead: T,
  others: readonly T[] = [],
): NewsEvent<T> {
  const own = outletOf(lead.story);
  const seen = new Set([outletKey(own) || own]);
  const outlets = [own];
  for (const name of event.outlets) {
    const key = outletKey(name) || name;
    if (!seen.has(key)) outlets.push(name);
    seen.add(key);
  }
  return {
    key: event.key,
    lead,
    members: [lead, ...others.filter((m) => m.story.id !== lead.story.id)],
    outlets,
    score: lead.score,
    newest: Date.parse(event.newest),
    outletCount: Math.max(event.outletCount, outlets.length),
  };
}

/** The lead of a stored event as a member, scored by its decision. */
export function leadMember(event: StoredEvent, story: StoredStory): EventMember {
  return { story, score: event.leadScore ?? 0 };
}
