import { formatAge } from '../messages/format-age.js';
import type { MessageItem } from '../messages/message.js';
import type { StoredStory } from '../store/story.js';
import { displayTitle, isAggregatorLink, outletKey, outletOf, splitOutletSuffix } from './outlet.js';
import { storyTime } from './story-time.js';

/**
 * One event as readers see it, whoever asks (digests, alerts, /deal latest and
 * search): the stories that report it, the one that leads it, the outlets that
 * carried it and the line under its headline. This is the only place that says
 * which story leads an event, which headline is shown and how "covered by" is
 * counted. Pure: it reads the members it is given, never a store.
 */

/** A story as one of an event's members: its relevance and, when known, the outlets that carried it. */
export interface EventMember {
  story: StoredStory;
  score: number;
  /** Outlet names; when absent, the story's own outlet (outletOf: its link, else its feed). */
  outlets?: string[];
}

export interface NewsEvent<T extends EventMember = EventMember> {
  key: string;
  /** The story shown: see leadOrder. */
  lead: T;
  /** Lead first, then in the same order. */
  members: T[];
  /** Distinct outlets that covered the event (case and punctuation aside), the lead's first, then in member order. */
  outlets: string[];
  /** The lead's relevance. */
  score: number;
  /** Newest member's time (storyTime), epoch ms. */
  newest: number;
  /** How many outlets covered it when more are known than `outlets` lists (a stored event lists a bounded number). */
  outletCount?: number;
}

/** How many distinct outlets covered the event. */
export function outletCountOf(event: NewsEvent): number {
  return Math.max(event.outletCount ?? 0, event.outlets.length);
}

function outletsOf(m: EventMember): string[] {
  return m.outlets?.length ? m.outlets : [outletOf(m.story)];
}

/**
 * Best first: the lead rule, as a comparator. An outlet's own link before an aggregator's redirect
 * (a story without a link counts as the outlet's own), then relevance, then the more informative
 * story (one with a summary, then the longer title core: splitOutletSuffix's, so a trailing name does
 * not count), then the earliest, then by id (stable).
 */
export function leadOrder(a: EventMember, b: EventMember): number {
  return (
    viaAggregator(a) - viaAggregator(b) ||
    b.score - a.score ||
    hasSummary(b) - hasSummary(a) ||
    titleCore(b).length - titleCore(a).length ||
    storyTime(a.story) - storyTime(b.story) ||
    a.story.id.localeCompare(b.story.id)
  );
}

function viaAggregator(m: EventMember): number {
  return isAggregatorLink(m.story.url) ? 1 : 0;
}

// The headline's words without whatever it ends with after a separator: a trailing name is no more news.
function titleCore(m: EventMember): string {
  return splitOutletSuffix(displayTitle(m.story)).core;
}

function hasSummary(m: EventMember): number {
  return m.story.summary?.trim() ? 1 : 0;
}

/** Names once each, compared by outletKey, first spelling kept. */
function distinctOutlets(names: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const name of names) {
    const key = outletKey(name) || name;
    if (!byKey.has(key)) byKey.set(key, name);
  }
  return [...byKey.values()];
}

/** Builds one event from its members (any order). */
export function newsEvent<T extends EventMember>(key: string, members: readonly T[]): NewsEvent<T> {
  const sorted = [...members].sort(leadOrder);
  const lead = sorted[0]!;
  return {
    key,
    lead,
    members: sorted,
    outlets: distinctOutlets(sorted.flatMap(outletsOf)),
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

/** How many characters of outlet names the meta line lists before it cuts the list with "…". */
const MAX_NAMES_LENGTH = 100;

/**
 * The line under a headline: "Reuters · 3h ago · covered by 4 outlets: BBC, Nikkei Asia, AP" (the
 * count includes the lead's outlet; the names are the others, in member order), or with one other
 * outlet "Reuters · 3h ago · also covered by BBC".
 */
export function eventMeta(event: NewsEvent, now: Date): string {
  const outlet = outletsOf(event.lead)[0]!;
  const others = event.outlets.filter((o) => outletKey(o) !== outletKey(outlet));
  const count = Math.max(outletCountOf(event), others.length + 1);
  const parts = [outlet, formatAge(storyTime(event.lead.story), now)];
  if (count === 2 && others.length === 1) parts.push(`also covered by ${others[0]}`);
  else if (count > 1 && others.length) parts.push(`covered by ${count} outlets: ${nameList(others, count - 1)}`);
  return parts.join(' · ');
}

/** "BBC, Nikkei Asia, AP", cut after about MAX_NAMES_LENGTH characters, or where the names known end, with ", …". */
function nameList(names: string[], total = names.length): string {
  let out = names[0]!;
  for (const name of names.slice(1)) {
    const next = `${out}, ${name}`;
    if (next.length > MAX_NAMES_LENGTH) return `${out}, …`;
    out = next;
  }
  return total > names.length ? `${out}, …` : out;
}

/** An event as one line of a chat answer: the lead's headline (displayTitle), its link and the meta line. */
export function eventItem(event: NewsEvent, now: Date): MessageItem {
  const { url } = event.lead.story;
  return { text: displayTitle(event.lead.story), ...(url ? { url } : {}), meta: eventMeta(event, now) };
}
