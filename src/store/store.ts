import type { LeaseRepo, ReplicaRepo } from './coordination.js';
import type { MatchRepo } from './match-repo.js';
import type { DigestLedger } from './digest-ledger.js';
import type { SearchHit, Story, StoredStory } from './story.js';

/**
 * The storage contract. Everything that touches the database goes through it, so a
 * second engine (PostgreSQL, for several replicas) can be added beside the SQLite
 * one without touching the rest. It grows one repository per concern; each
 * repository is small. Implementations live in src/store/<engine>/.
 * Times are ISO 8601 strings in UTC (Date#toISOString()).
 */

/**
 * How many of a search's matches are ranked: the most recently stored. Ranking every
 * match of a word such as "Japan" in 100,000 stories took 30 ms; people searching
 * news want the recent ones first anyway, and older ones are reached with more words.
 */
export const SEARCH_CANDIDATES = 2_000;

export interface FeedState {
  feedId: string;
  /** The URL these validators and counters belong to; a new URL in the config starts afresh. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  lastPollAt: string | null;
  /** HTTP status of the last poll (200, 304, 404…), null when no answer came. */
  lastStatus: number | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  /** Plain words for admins: what went wrong and what to do. */
  lastError: string | null;
  consecutiveFailures: number;
  nextDueAt: string | null;
  /** Dead feeds are not polled until their URL changes in the config. */
  status: 'new' | 'ok' | 'failing' | 'dead';
  /** Where a permanent redirect pointed, for admins to update the config. */
  movedTo: string | null;
  /** The problem admins were last told about; null once told it recovered. Survives restarts. */
  notified: 'failing' | 'dead' | null;
  /** Stories this feed has carried; computed by the store, ignored by save(). */
  storyCount: number;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Ids of the stories inserted (new to the bot), backlog ones included. */
  insertedIds: string[];
  /** The inserted ids stored as backlog (older than the backlog cut on a feed's first poll). */
  backlogIds: string[];
  /** Ids of known stories whose title or summary changed. */
  updatedIds: string[];
}

/** A result with nothing stored yet, for an upsert to count into. */
export function emptyUpsertResult(): UpsertResult {
  return { inserted: 0, updated: 0, unchanged: 0, insertedIds: [], backlogIds: [], updatedIds: [] };
}

export interface UpsertOptions {
  /** When set, new stories published before this time are stored as backlog (never digested). */
  backlogBefore?: string | null;
  /** "Now": recorded as first-seen for new stories. */
  seenAt: string;
}

export interface RecentOptions {
  limit: number;
  /** Published (or first seen when undated) at or after this time. */
  since?: string;
  /** First seen by the bot at or after this time. */
  seenSince?: string;
  /** Include backlog stories (default false). */
  includeBacklog?: boolean;
}

export interface StoryRepo {
  /**
   * Stores stories once: a known id, or a known canonical URL from any feed, is the
   * same story (its title and summary are updated if they changed; a new date does
   * not make it new). Each story remembers every feed that carried it. Atomic per call.
   */
  upsert(stories: Story[], options: UpsertOptions): UpsertResult;
  get(idOrUrl: string): StoredStory | null;
  /** The stories with these ids, in the order given; unknown ids are skipped. */
  getMany(ids: string[]): StoredStory[];
  /** Newest first by published time (first-seen when unknown). */
  recent(options: RecentOptions): StoredStory[];
  /**
   * Full-text search over titles and summaries, best first. Any text is a valid
   * query: words are matched as words (all must appear), never as query syntax.
   * Only the SEARCH_CANDIDATES most recently stored matches are ranked, so a common
   * word costs the same as a rare one whatever the store holds.
   */
  search(query: string, limit: number): SearchHit[];
  count(): number;
}

export interface FeedStateRepo {
  get(feedId: string): FeedState | null;
  list(): FeedState[];
  save(state: FeedState): void;
}

/** A feed held by a replica (FeedLeaseRepo), until when (ISO, on the database's clock). */
export interface FeedLease {
  feedId: string;
  holder: string;
  expiresAt: string;
}

/**
 * Feed leases (PostgreSQL, for replicas): each due feed is polled by one replica.
 * `take` leases up to `limit` of `feedIds` that are due (by their saved next due
 * time) and free or expired; `renew` returns the feeds still held; `release` is
 * called after a feed's new state is saved. See src/store/postgres/feed-leases.ts.
 */
export interface FeedLeaseRepo {
  take(options: { feedIds: string[]; limit: number; ttlMs: number; now?: string; dueBy?: string }): FeedLease[];
  renew(feedIds: string[], ttlMs: number, now?: string): string[];
  release(feedIds: string[]): void;
}

export interface Store {
  stories: StoryRepo;
  feeds: FeedStateRepo;
  /** What each channel was sent (digests and alerts): see digest-ledger.ts. */
  ledger: DigestLedger;
  /** Matching's decision for each story and the stories feed filters dropped: see src/matching/match-repo.ts. */
  matches: MatchRepo;
  /** Named leases held by one replica at a time: see coordination.ts. */
  leases: LeaseRepo;
  /** The running replicas, their heartbeats and config fingerprints: see coordination.ts. */
  replicas: ReplicaRepo;
  /** Engines shared by replicas (PostgreSQL) offer feed leases; one process (SQLite) polls every feed itself. */
  feedLeases?: FeedLeaseRepo;
  /** Closes the database; the store is unusable afterwards. */
  close(): void;
}
