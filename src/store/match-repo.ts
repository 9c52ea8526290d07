/**
 * Where matching keeps its decisions: one per stored story, plus the stories a
 * feed filter dropped (they are never stored as stories). The SQLite
 * implementation is src/store/sqlite/sqlite-match-repo.ts.
 */

export interface StoredDecision {
  storyId: string;
  decidedAt: string;
  relevant: boolean;
  score: number;
  briefId: string | null;
  briefScore: number;
  reasons: string[];
  /** Stories about the same event share this key (the id of its first story); null until clustered. */
  clusterKey: string | null;
  /** Why the story joined its event or started one (similarity, shared features), for `why`. */
  eventNote?: string | null;
}

/**
 * An event as stored (the events table): what answers rank and show without
 * reading its stories. Counts, times and scores are over its relevant stories
 * that may reach readers (not backlog).
 */
export interface StoredEvent {
  key: string;
  /** The brief most of its stories are tied to (ties: the smaller id); null when none is. */
  briefId: string | null;
  /** When the bot first saw its earliest story (ISO). */
  firstSeen: string;
  /** Its newest story's time (storyTime: published, else first seen; ISO). */
  newest: string;
  storyCount: number;
  /** Distinct outlets that carried it (exact, whatever `outlets` lists). */
  outletCount: number;
  /** Their names in the order they reported it, at most EVENT_OUTLETS_LISTED. */
  outlets: string[];
  /** The story shown for it (src/events/news-event.ts leadOrder); null until the match step has chosen it. */
  leadId: string | null;
  /** The lead's relevance (what events are ranked by); null with leadId. */
  leadScore: number | null;
  bestScore: number;
}

/** What ranking a stored event needs, read from an index alone (latestEvents); events() gives the rest. */
export type EventHead = Pick<
  StoredEvent,
  'key' | 'briefId' | 'newest' | 'storyCount' | 'outletCount' | 'leadId' | 'leadScore' | 'bestScore'
>;

/** How many outlet names a stored event lists (more than any answer shows). */
export const EVENT_OUTLETS_LISTED = 20;

/** An outlet as events count it: the name readers see, and the key two spellings of one outlet share (outletKey). */
export interface EventOutlet {
  name: string;
  key: string;
}

export interface EventQuery {
  briefIds: string[];
  /** Only events with a story at or after this ISO time (their newest). */
  since?: string;
  /** Only events with a story scoring at least this. */
  minScore?: number;
  limit: number;
}

export interface FilteredStory {
  storyId: string;
  url: string | null;
  feedId: string;
  title: string;
  reason: string;
  at: string;
}

/** A digest or alert a story went out in (read from the delivery ledger's tables). */
export interface StoryDelivery {
  deliveryId: string;
  channelKey: string;
  kind: string;
  status: string;
  role: string;
  createdAt: string;
  sentAt: string | null;
}

export interface UndecidedOptions {
  /**
   * Only stories first seen before this ISO time. Replicas pass it: a story another
   * replica stored a moment ago is being decided by that replica; the queue is for
   * the stories nobody decided (a crash, `ingest`, a failed match).
   */
  storedBefore?: string;
}

/** Stories filed into events since a cursor (MatchRepo.filedSince). */
export interface FiledPage {
  filed: { storyId: string; clusterKey: string }[];
  cursor: string;
}

export interface MatchRepo {
  /** Stores decisions, replacing earlier ones for the same stories (atomic per call). */
  save(decisions: StoredDecision[]): void;
  get(storyId: string): StoredDecision | null;
  /**
   * Ids of stored stories with no decision yet, oldest stored first, at most
   * `limit` of them. Stories stay here until a decision is saved, whatever
   * happened in between (a crash after storing, `ingest`), so draining it until
   * empty decides every story.
   */
  undecided(limit: number, options?: UndecidedOptions): string[];
  getMany(storyIds: string[]): Map<string, StoredDecision>;
  /** Decisions tying stories to these briefs, best score first, optionally only stories first seen since an ISO time. */
  forBriefs(briefIds: string[], options: { since?: string; minScore?: number; limit?: number }): StoredDecision[];
  /** Relevant decisions of stories first seen since an ISO time (the pool new stories are clustered against). */
  relevantSince(since: string): StoredDecision[];
  setCluster(storyIds: string[], clusterKey: string): void;
  /**
   * Replicas (PostgreSQL): the stories filed into events (by any replica) after
   * `cursor`, oldest filing first, at most `limit`, and the cursor to pass next.
   * A null cursor reads nothing and returns the present one (take it before
   * reading the stored events). The cursor returned after the last page lies a
   * few seconds back, so a filing whose transaction committed late is read next
   * time: callers skip the stories they already know. SQLite leaves this out:
   * one process files every event itself.
   */
  filedSince?(cursor: string | null, limit: number): FiledPage;
  /**
   * Files stories into events, each with the reason shown by `why` and the outlet that
   * carried it (counted in its event's outlets), atomic per call. The stored events
   * follow: a new key makes an event waiting for its lead (eventsWithoutLead).
   */
  setEvents(events: { storyId: string; clusterKey: string; note: string; outlet?: EventOutlet }[]): void;
  /** How many relevant stories of an event each brief has (null: tied to none), without reading them. */
  eventBriefCounts(clusterKey: string): { briefId: string | null; count: number }[];
  /** eventBriefCounts of several events at once, by key (every key asked, [] for an unknown one). */
  eventBriefCountsOf(clusterKeys: string[]): Map<string, { briefId: string | null; count: number }[]>;
  /**
   * The stored events are kept in step with decisions and event keys by every save and
   * setEvents; which story leads an event is the match step's rule, so it says:
   * each lead given here, and, when `outlets` is given, the event's outlets replaced by
   * these (in the order they reported it). Atomic per call.
   */
  completeEvents(events: { key: string; leadId: string; outlets?: EventOutlet[] }[]): void;
  /** Keys of events waiting for a lead (new, a member changed, or backfilled), at most `limit`. */
  eventsWithoutLead(limit: number): string[];
  /** Stored events by key; unknown keys (and events with no story readers may see) are absent. */
  events(keys: string[]): Map<string, StoredEvent>;
  /** Events of these briefs, newest first, from an index alone (bounded by `limit`): what ranking needs. */
  latestEvents(query: EventQuery): EventHead[];
  /** Ids of the relevant stories readers may see (not backlog) of these events, optionally first seen since an ISO time. */
  eventStoryIds(keys: string[], since?: string): Map<string, string[]>;
  /** Members of an event, in any brief. */
  clusterMembers(clusterKey: string, limit?: number): StoredDecision[];
  /**
   * Members of several events in one read: each key's as clusterMembers(key, limit)
   * gives them (the same members, in the same order). Keys with none are absent.
   */
  clusterMembersOf(clusterKeys: string[], limit?: number): Map<string, StoredDecision[]>;
  recordFiltered(story: FilteredStory): void;
  getFiltered(idOrUrl: string): FilteredStory | null;
  /** Optional: the deliveries (digests, alerts) a story was part of; absent when no ledger is kept. */
  deliveriesOf?(storyId: string): StoryDelivery[];
}
