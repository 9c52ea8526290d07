import { eventItem, newsEvent, outletCountOf, type NewsEvent } from '../events/news-event.js';
import type { Brief } from '../briefs/schema.js';
import type { MessageItem } from '../messages/message.js';
import { briefCoverage } from './brief-coverage-of.js';
import type { CandidateEvent, DigestCandidate } from './candidate-source.js';

/** An event as a channel's digest or alert sees it: the brief it goes under and its rank. */
export interface RankedEvent extends NewsEvent<DigestCandidate> {
  briefId: string;
  rank: number;
}

/** Relevance weighs most; recency and breadth of coverage order events of similar relevance. */
const WEIGHTS = { relevance: 0.7, recency: 0.15, coverage: 0.15 };
/** A story loses half its recency weight a day: a daily digest's stories all count. */
const RECENCY_HALF_LIFE_H = 24;
/** Coverage saturates at five outlets: past that, more outlets say little more. */
const COVERAGE_SATURATION = 4;

/**
 * Groups candidates into events. A story matched to several briefs counts once,
 * under the brief it scores best for (the order of `briefIds` breaks ties); an
 * event goes under its lead story's brief.
 */
export function rankedEvents(candidates: DigestCandidate[], briefIds: string[], now: Date): RankedEvent[] {
  const order = (id: string) => {
    const i = briefIds.indexOf(id);
    return i === -1 ? briefIds.length : i;
  };
  const bestPerStory = new Map<string, DigestCandidate>();
  for (const c of candidates) {
    const seen = bestPerStory.get(c.storyId);
    if (!seen || c.score > seen.score || (c.score === seen.score && order(c.briefId) < order(seen.briefId)))
      bestPerStory.set(c.storyId, c);
  }
  const groups = new Map<string, DigestCandidate[]>();
  for (const c of bestPerStory.values()) {
    const group = groups.get(c.clusterKey);
    if (group) group.push(c);
    else groups.set(c.clusterKey, [c]);
  }
  return [...groups.entries()].map(([key, members]) => {
    const only = members.length === 1 ? members[0]! : undefined;
    if (only?.event) return new StoredRankedEvent(only, only.event, now);
    const grouped = newsEvent(key, members);
    // A stored event's candidate stands for more stories than it brings: its time and outlets count.
    const whole = grouped.lead.event;
    const event = whole
      ? { ...grouped, newest: Math.max(grouped.newest, whole.newest), outletCount: whole.outletCount }
      : grouped;
    return {
      ...event,
      briefId: event.lead.briefId,
      rank: rankOf(event.score, event.newest, outletCountOf(event), now),
    };
  });
}

/**
 * A stored event's candidate as a ranked event, without reading its lead's story:
 * its time and outlet count are stored, and its outlet names are read only when it is shown.
 */
class StoredRankedEvent implements RankedEvent {
  readonly key: string;
  readonly lead: DigestCandidate;
  readonly members: DigestCandidate[];
  readonly score: number;
  readonly newest: number;
  readonly outletCount: number;
  readonly briefId: string;
  readonly rank: number;

  constructor(c: DigestCandidate, whole: CandidateEvent, now: Date) {
    this.key = c.clusterKey;
    this.lead = c;
    this.members = [c];
    this.score = c.score;
    this.newest = whole.newest;
    this.outletCount = whole.outletCount;
    this.briefId = c.briefId;
    this.rank = rankOf(c.score, whole.newest, whole.outletCount, now);
  }

  get outlets(): string[] {
    return this.lead.outlets;
  }
}

/**
 * Reads what showing these events takes, for those that stand for stored events
 * (CandidateEvent.load), each told of the others so a source reads them all at once.
 */
export async function loadShown(events: readonly RankedEvent[]): Promise<void> {
  const all = events.flatMap((e) => e.members.flatMap((m) => (m.event ? [m.event] : [])));
  for (const e of all) await e.load?.(all);
}

/** The rank of an event in 0..1: relevance, recency and how many outlets covered it. */
export function rankOf(score: number, newest: number, outletCount: number, now: Date): number {
  const ageHours = Math.max(0, now.getTime() - newest) / 3_600_000;
  const recency = Math.pow(0.5, ageHours / RECENCY_HALF_LIFE_H);
  const coverage = Math.min(1, Math.max(0, outletCount - 1) / COVERAGE_SATURATION);
  return WEIGHTS.relevance * score + WEIGHTS.recency * recency + WEIGHTS.coverage * coverage;
}

/** Best first; stable and deterministic (newer, then key) so a preview matches what is sent. */
export function rankEvents(events: RankedEvent[]): RankedEvent[] {
  return [...events].sort((a, b) => b.rank - a.rank || b.newest - a.newest || a.key.localeCompare(b.key));
}

/**
 * A digest or alert line: the lead's headline (displayTitle), link, and the event's
 * meta line; "new: not in the brief" when the brief it goes under has no entry that
 * reports it, so readers know the brief does not cover it yet.
 */
export function digestItem(event: RankedEvent, now: Date, brief?: Brief): MessageItem {
  const item = eventItem(event, now);
  if (!brief || reportedBy(brief, event)) return item;
  return { ...item, meta: `${item.meta} · new: not in the brief` };
}

// Whether a brief reports a stored event, per loaded brief, until the event's stories change:
// digests, alert sweeps (every minute) and previews ask again about the same events.
const reported = new WeakMap<Brief, Map<string, boolean>>();
const REPORTED_MEMO_SIZE = 5_000;

/** Whether any entry of the brief reports the event (compared on its stories; see brief-coverage.ts). */
function reportedBy(brief: Brief, event: RankedEvent): boolean {
  const whole = event.lead.event;
  if (!whole) return briefCoverage(brief).entriesFor(event.members.map((m) => m.story)).length > 0;
  let memo = reported.get(brief);
  if (!memo) reported.set(brief, (memo = new Map()));
  const key = `${event.key}\u0000${whole.version}`;
  let yes = memo.get(key);
  if (yes === undefined) {
    if (memo.size >= REPORTED_MEMO_SIZE) memo.clear();
    yes = briefCoverage(brief).entriesFor(whole.stories()).length > 0;
    memo.set(key, yes);
  }
  return yes;
}
