import { formatAge } from '../messages/format-age.js';
import type { MessageItem } from '../messages/message.js';
import type { StoredStory } from '../store/story.js';
import { outletOf, splitOutletSuffix } from './outlet.js';
import { storyTime } from './story-time.js';

/**
 * One event as readers see it, whoever asks (digests, alerts, /deal latest and
 * search): the stories that report it, the one that leads it, the outlets that
 * carried it and the line under its headline. This is the only place that says
 * which story leads an event and how "also covered by" is counted.
 */

/** A story as one of an event's members: its relevance and, when known, the outlets that carried it. */
export interface EventMember {
  story: StoredStory;
  score: number;
  /** Outlet names; when absent, the story's own outlet (title suffix, link host, feed). */
  outlets?: string[];
}

export interface NewsEvent<T extends EventMember = EventMember> {
  key: string;
  /** The story shown: the most relevant, the earliest on a tie, then by id (stable). */
  lead: T;
  /** Lead first, then in the same order. */
  members: T[];
  /** Distinct outlets that covered the event. */
  outlets: string[];
  /** The lead's relevance. */
  score: number;
  /** Newest member's time (storyTime), epoch ms. */
  newest: number;
}

function outletsOf(m: EventMember): string[] {
  return m.outlets ?? [outletOf(m.story)];
}

/** Best first: the lead rule, as a comparator. */
export function leadOrder(a: EventMember, b: EventMember): number {
  return b.score - a.score || storyTime(a.story) - storyTime(b.story) || a.story.id.localeCompare(b.story.id);
}

/** Builds one event from its members (any order). */
export function newsEvent<T extends EventMember>(key: string, members: readonly T[]): NewsEvent<T> {
  const sorted = [...members].sort(leadOrder);
  const lead = sorted[0]!;
  return {
    key,
    lead,
    members: sorted,
    outlets: [...new Set(sorted.flatMap(outletsOf))],
    score: lead.score,
    newest: Math.max(...sorted.map((m) => storyTime(m.story))),
  };
}

/** Groups members by their event key, keeping the order in which each event first appears. */
export function groupEvents<T extends EventMember>(members: readonly T[], keyOf: (m: T) => string): NewsEvent<T>[] {
  const byKey = new Map<string, T[]>();
  for (const m of members) {
    const key = keyOf(m);
    const list = byKey.get(key);
    if (list) list.push(m);
    else byKey.set(key, [m]);
  }
  return [...byKey.entries()].map(([key, list]) => newsEvent(key, list));
}

/** The line under a headline: "Nikkei · 3h ago · also covered by 2 outlets". */
export function eventMeta(event: NewsEvent, now: Date): string {
  const outlet = outletsOf(event.lead)[0]!;
  const others = event.outlets.filter((o) => o !== outlet).length;
  const parts = [outlet, formatAge(storyTime(event.lead.story), now)];
  if (others > 0) parts.push(`also covered by ${others} outlet${others === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** An event as one line of a chat answer: the lead's headline (without an outlet suffix), its link and the meta line. */
export function eventItem(event: NewsEvent, now: Date, options: { stripOutletSuffix?: boolean } = {}): MessageItem {
  const { title, url } = event.lead.story;
  const text = options.stripOutletSuffix === false ? title : splitOutletSuffix(title).core;
  return { text, ...(url ? { url } : {}), meta: eventMeta(event, now) };
}
