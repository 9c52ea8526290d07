import { formatAge } from '../messages/format-age.js';
import type { MessageItem } from '../messages/message.js';
import type { Store } from '../store/store.js';
import type { StoredStory } from '../store/story.js';
import { outletOf, splitOutletSuffix } from './cluster.js';
import type { StoredDecision } from './match-repo.js';

/**
 * Stories as chat answers show them: one line per event (its best story), with
 * outlet, age, link and "also covered by N outlets". Shared by /deal latest and
 * /deal search so both show an event once.
 */
export interface EventView {
  key: string;
  lead: StoredStory;
  members: StoredStory[];
  outlets: string[];
  /** Newest member's time, epoch ms. */
  newest: number;
}

/** When a story happened for a reader: published, unless the feed's clock put it after we saw it. */
export function storyTime(s: StoredStory): number {
  const published = s.published ? Date.parse(s.published) : NaN;
  const seen = Date.parse(s.firstSeen);
  return Number.isFinite(published) && !(published > seen) ? published : seen;
}

/** Groups stories by their stored event key (a story without one is its own event), keeping the input order of first appearance. */
export function groupEvents(stories: StoredStory[], decisions: Map<string, StoredDecision>): EventView[] {
  const byKey = new Map<string, StoredStory[]>();
  for (const s of stories) {
    const key = decisions.get(s.id)?.clusterKey ?? s.id;
    const list = byKey.get(key);
    if (list) list.push(s);
    else byKey.set(key, [s]);
  }
  return [...byKey.entries()].map(([key, members]) => {
    const score = (s: StoredStory) => decisions.get(s.id)?.score ?? 0;
    const lead = [...members].sort((a, b) => score(b) - score(a) || storyTime(a) - storyTime(b))[0]!;
    const outlets = [...new Set(members.map(outletOf))];
    return { key, lead, members, outlets, newest: Math.max(...members.map(storyTime)) };
  });
}

/** Adds the other stories of each event (stored under the same key) so "also covered by" counts them all. */
export function withWholeEvents(events: EventView[], store: Store): EventView[] {
  return events.map((e) => {
    const ids = store.matches.clusterMembers(e.key).map((d) => d.storyId).filter((id) => !e.members.some((m) => m.id === id));
    if (!ids.length) return e;
    const members = [...e.members, ...store.stories.getMany(ids)];
    return { ...e, members, outlets: [...new Set(members.map(outletOf))], newest: Math.max(...members.map(storyTime)) };
  });
}

export function eventItem(e: EventView, now: Date): MessageItem {
  const outlet = outletOf(e.lead);
  const others = e.outlets.filter((o) => o !== outlet).length;
  const meta = [outlet, formatAge(storyTime(e.lead), now)];
  if (others > 0) meta.push(`also covered by ${others} outlet${others === 1 ? '' : 's'}`);
  return { text: splitOutletSuffix(e.lead.title).core, ...(e.lead.url ? { url: e.lead.url } : {}), meta: meta.join(' · ') };
}
