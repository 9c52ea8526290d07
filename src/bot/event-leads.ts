import { leadOrder, type EventMember } from '../events/news-event.js';
import { outletKey, outletOf } from '../events/outlet.js';
import { storyTime } from '../events/story-time.js';
import type { EventOutlet } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import type { StoredStory } from '../store/story.js';

/**
 * The match step's part of the stored events (the store keeps counts, times and
 * briefs itself): which story leads each event and which outlets carried it,
 * by the rules of src/events/. An event that has a lead only compares it with its
 * new stories; one waiting for a lead (new, changed, or backfilled by the
 * migration) is read whole once, so a restart computes nothing again.
 */

/** The outlet a story counts for in its event's "covered by". */
export function eventOutlet(story: StoredStory): EventOutlet {
  const name = outletOf(story);
  return { name, key: outletKey(name) || name };
}

/**
 * Brings the stored events of `keys` up to date after their new stories (`fresh`,
 * by key: relevant, with their scores) were filed. Stories readers never see
 * (backlog) lead nothing.
 */
export async function completeEvents(
  store: AsyncStore,
  keys: Iterable<string>,
  fresh = new Map<string, EventMember[]>(),
): Promise<number> {
  const rows = await store.matches.events([...keys]);
  const leadIds = [...rows.values()].filter((r) => r.leadId && fresh.has(r.key)).map((r) => r.leadId!);
  const leads = await membersOf(store, leadIds);
  const updates: Parameters<AsyncStore['matches']['completeEvents']>[0] = [];
  for (const row of rows.values()) {
    if (row.leadId && !fresh.has(row.key)) continue; // it has its lead and nothing new
    const news = (fresh.get(row.key) ?? []).filter((m) => !m.story.backlog);
    const lead = row.leadId ? leads.get(row.leadId) : undefined;
    if (lead) {
      if (!news.length) continue;
      const next = leadOf([lead, ...news]);
      if (next !== row.leadId) updates.push({ key: row.key, leadId: next });
      continue;
    }
    // Waiting for a lead: every story of the event, from memory when this batch brought them all
    // (setEvents has counted their outlets then, in the same order); else read, outlets listed again.
    const fromBatch = news.length === row.storyCount;
    const members = fromBatch ? news : await wholeEvent(store, row.key);
    if (!members.length) continue;
    const leadId = leadOf(members);
    const counted = fromBatch && row.outletCount > 0;
    updates.push(counted ? { key: row.key, leadId } : { key: row.key, leadId, outlets: outletsInOrder(members) });
  }
  if (updates.length) await store.matches.completeEvents(updates);
  return updates.length;
}

/**
 * Completes events waiting for a lead (the migration's backfill, members that changed)
 * for about `maxMs`, a few at a time (an event of a thousand stories is read whole);
 * how many it did, 0 when none waits (or none of those waiting can be completed).
 */
export async function completeWaitingEvents(store: AsyncStore, maxMs: number): Promise<number> {
  const start = Date.now();
  let done = 0;
  for (;;) {
    const keys = await store.matches.eventsWithoutLead(WAITING_STEP);
    const n = keys.length ? await completeEvents(store, keys) : 0;
    done += n;
    if (n === 0 || Date.now() - start >= maxMs) return done;
  }
}

// One at a time: the time is checked after each.
const WAITING_STEP = 1;

/** The id of the story that leads these (news-event.ts's leadOrder: the first of them in that order). */
function leadOf(members: EventMember[]): string {
  return members.reduce((best, m) => (leadOrder(m, best) < 0 ? m : best)).story.id;
}

/** Outlets in the order they reported the event (earliest story first). */
function outletsInOrder(members: EventMember[]): EventOutlet[] {
  return [...members]
    .sort((a, b) => storyTime(a.story) - storyTime(b.story) || a.story.id.localeCompare(b.story.id))
    .map((m) => eventOutlet(m.story));
}

/** The event's relevant stories that readers may see, with their scores. */
async function wholeEvent(store: AsyncStore, key: string): Promise<EventMember[]> {
  const scores = new Map(
    (await store.matches.clusterMembers(key)).filter((d) => d.relevant).map((d) => [d.storyId, d.score]),
  );
  return (await store.stories.getMany([...scores.keys()]))
    .filter((s) => !s.backlog)
    .map((story) => ({ story, score: scores.get(story.id)! }));
}

async function membersOf(store: AsyncStore, ids: string[]): Promise<Map<string, EventMember>> {
  if (!ids.length) return new Map();
  const scores = await store.matches.getMany(ids);
  return new Map(
    (await store.stories.getMany(ids)).map((story) => [story.id, { story, score: scores.get(story.id)?.score ?? 0 }]),
  );
}
