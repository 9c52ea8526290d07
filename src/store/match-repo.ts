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
  undecided(limit: number): string[];
  getMany(storyIds: string[]): Map<string, StoredDecision>;
  /** Decisions tying stories to these briefs, best score first, optionally only stories first seen since an ISO time. */
  forBriefs(briefIds: string[], options: { since?: string; minScore?: number; limit?: number }): StoredDecision[];
  /** Relevant decisions of stories first seen since an ISO time (the pool new stories are clustered against). */
  relevantSince(since: string): StoredDecision[];
  setCluster(storyIds: string[], clusterKey: string): void;
  /** Files stories into events, each with the reason shown by `why` (atomic per call). */
  setEvents(events: { storyId: string; clusterKey: string; note: string }[]): void;
  /** How many relevant stories of an event each brief has (null: tied to none), without reading them. */
  eventBriefCounts(clusterKey: string): { briefId: string | null; count: number }[];
  /** Members of an event, in any brief. */
  clusterMembers(clusterKey: string, limit?: number): StoredDecision[];
  recordFiltered(story: FilteredStory): void;
  getFiltered(idOrUrl: string): FilteredStory | null;
  /** Optional: the deliveries (digests, alerts) a story was part of; absent when no ledger is kept. */
  deliveriesOf?(storyId: string): StoryDelivery[];
}
