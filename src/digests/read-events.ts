import { newsEvent, type EventMember, type NewsEvent } from '../events/news-event.js';
import { leadMember, storedNewsEvent } from '../events/stored-event.js';
import type { EventHead, StoredDecision } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import type { StoredStory } from '../store/story.js';
import { rankOf } from './rank-events.js';

/** Stories of one event read to build it when no lead is stored: enough for its lead and outlets, bounded for huge events. */
export const EVENT_READ_LIMIT = 50;
/**
 * Stories of one event compared with a brief ("new: not in the brief", /deal updates):
 * its lead and some others. A few say what the event is about; reading more costs
 * every digest line time without changing what they say.
 */
export const COVERAGE_STORIES = 5;

/** A stored event read to show: the event, and (with stories) what a brief is compared with. */
export interface ReadEvent {
  head: EventHead;
  event: NewsEvent;
  /** Its lead, then up to COVERAGE_STORIES - 1 of its other stories in clusterMembers order (empty without stories). */
  coverage: EventMember[];
}

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
  return (await readStoredEvents(heads, store, withStories)).map((r) => r.event);
}

/**
 * fromStoredEvents with each event's coverage, in a fixed number of reads whatever the
 * number of events (a digest shows several, and each read is a round trip on PostgreSQL):
 * the rows and the members needed at once, then one getMany for every story, leads and
 * members; a second round only for an event whose lead left the store after its head was read.
 */
export async function readStoredEvents(
  heads: EventHead[],
  store: AsyncStore,
  withStories: boolean,
): Promise<ReadEvent[]> {
  const led = heads.filter((h) => h.leadId !== null);
  const [rows, whole, some] = await Promise.all([
    store.matches.events(heads.map((h) => h.key)),
    store.matches.clusterMembersOf(
      heads.filter((h) => h.leadId === null).map((h) => h.key),
      EVENT_READ_LIMIT,
    ),
    withStories
      ? store.matches.clusterMembersOf(
          led.map((h) => h.key),
          COVERAGE_STORIES,
        )
      : noMembers(),
  ]);
  const stories = await storiesById(store, [
    ...led.map((h) => h.leadId!),
    ...[...whole.values(), ...some.values()].flatMap(relevantIds),
  ]);
  const lost = led.filter((h) => !rows.has(h.key) || !stories.has(h.leadId!)).map((h) => h.key);
  if (lost.length) {
    const more = await store.matches.clusterMembersOf(lost, EVENT_READ_LIMIT);
    for (const [key, decisions] of more) whole.set(key, decisions);
    for (const [id, story] of await storiesById(store, [...more.values()].flatMap(relevantIds))) stories.set(id, story);
  }

  const out: ReadEvent[] = [];
  for (const head of heads) {
    const row = rows.get(head.key);
    const story = head.leadId ? stories.get(head.leadId) : undefined;
    if (!row || !story) {
      const decisions = whole.get(head.key) ?? [];
      const members = scored(decisions, stories);
      if (!members.length) continue;
      const event = { ...newsEvent(head.key, members), outletCount: head.outletCount };
      // The first COVERAGE_STORIES members, as a read of that many would give them.
      const coverage = withStories ? coverageOf(event.lead, decisions.slice(0, COVERAGE_STORIES), stories) : [];
      out.push({ head, event, coverage });
      continue;
    }
    const lead = leadMember(row, story);
    if (!withStories) {
      out.push({ head, event: storedNewsEvent(row, lead), coverage: [] });
      continue;
    }
    const coverage = coverageOf(lead, some.get(head.key) ?? [], stories);
    out.push({ head, event: storedNewsEvent(row, lead, coverage.slice(1)), coverage });
  }
  return out;
}

/** The lead, then the others of these members (up to COVERAGE_STORIES in all). */
function coverageOf(lead: EventMember, decisions: StoredDecision[], stories: Map<string, StoredStory>): EventMember[] {
  const others = scored(decisions, stories).filter((m) => m.story.id !== lead.story.id);
  return [lead, ...others.slice(0, COVERAGE_STORIES - 1)];
}

/** The relevant ones of these decisions whose story readers may see, in their order, scored. */
function scored(decisions: StoredDecision[], stories: Map<string, StoredStory>): EventMember[] {
  return decisions.flatMap((d) => {
    const story = d.relevant ? stories.get(d.storyId) : undefined;
    return story && !story.backlog ? [{ story, score: d.score }] : [];
  });
}

const relevantIds = (decisions: StoredDecision[]): string[] =>
  decisions.flatMap((d) => (d.relevant ? [d.storyId] : []));

const noMembers = async (): Promise<Map<string, StoredDecision[]>> => new Map();

/** The stories with these ids (repeats read once), by id. */
export async function storiesById(store: AsyncStore, ids: string[]): Promise<Map<string, StoredStory>> {
  if (!ids.length) return new Map();
  return new Map((await store.stories.getMany([...new Set(ids)])).map((s) => [s.id, s]));
}

/** Best first, as digests rank events (outlets, relevance, recency), read from the rows alone. */
export function rankStoredEvents(rows: EventHead[], now: Date): EventHead[] {
  return rows
    .map((r) => ({ r, newest: Date.parse(r.newest) }))
    .map((x) => ({ ...x, rank: rankOf(x.r.leadScore ?? x.r.bestScore, x.newest, x.r.outletCount, now) }))
    .sort((a, b) => b.rank - a.rank || b.newest - a.newest || a.r.key.localeCompare(b.r.key))
    .map((x) => x.r);
}
