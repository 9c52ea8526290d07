import type { Story, StoredStory } from './story.js';

/**
 * The storage contract. Everything that touches the database goes through it, so a
 * second engine (PostgreSQL, for several replicas) can be added beside the SQLite
 * one without touching the rest. It grows one repository per concern; each
 * repository is small. Implementations live in src/store/<engine>/.
 */

export interface FeedState {
  feedId: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextDueAt: string | null;
  /** "ok" | "failing" | "dead": dead feeds are not polled until their config changes. */
  status: 'new' | 'ok' | 'failing' | 'dead';
  /** Where a permanent redirect pointed, for admins to update the config. */
  movedTo: string | null;
  storyCount: number;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Ids of the stories inserted (new to the bot). */
  insertedIds: string[];
}

export interface StoryRepo {
  /** Stores stories once; a known id or canonical URL updates in place. Atomic per call. */
  upsert(stories: Story[], options: { backlogBefore?: string | null; seenAt: string }): UpsertResult;
  get(idOrUrl: string): StoredStory | null;
  /** Newest first by published time (first-seen when unknown). */
  recent(options: { limit: number; since?: string }): StoredStory[];
  /** Full-text search over titles and summaries, best first. */
  search(query: string, limit: number): StoredStory[];
  count(): number;
}

export interface FeedStateRepo {
  get(feedId: string): FeedState | null;
  list(): FeedState[];
  save(state: FeedState): void;
}

export interface Store {
  stories: StoryRepo;
  feeds: FeedStateRepo;
  /** Closes the database; the store is unusable afterwards. */
  close(): void;
}
