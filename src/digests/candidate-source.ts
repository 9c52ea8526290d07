import type { StoredStory } from '../store/story.js';

/** What a source knows of a story's whole event when it reads stored events (one candidate per event, its lead). */
export interface CandidateEvent {
  /** The event's newest story time, epoch ms. */
  newest: number;
  /** Distinct outlets that covered it (`outlets` may list fewer). */
  outletCount: number;
  /** Some of its stories: what a brief is compared with. Read by load(). */
  stories(): StoredStory[];
  /**
   * Reads what showing it takes (its lead's story and outlet names, some of its stories),
   * once; call it before reading those of a candidate shown (loadShown in rank-events.ts).
   * `together` are the other events shown with it: a source may read theirs in the same
   * queries (then their own load() has nothing left to do). A source holding everything
   * in memory needs none.
   */
  load?(together?: readonly CandidateEvent[]): Promise<void>;
  /** Changes whenever its stories or its lead do: what it says can be remembered until then. */
  version: string;
}

/**
 * What digests and alerts need from matching: the stories tied to a brief, with
 * a score and the event (cluster) each belongs to. Matching (src/matching) owns
 * the decisions; this small interface keeps digests testable without it and
 * lets it change its tables freely.
 */
export interface DigestCandidate {
  storyId: string;
  briefId: string;
  /** Relevance to the brief, 0..1. */
  score: number;
  /** Stories about the same event share a key; a channel is shown each event once. */
  clusterKey: string;
  /** Outlet names that carried this story (for "Outlet · 3h ago · also covered by 2 outlets"). */
  outlets: string[];
  story: StoredStory;
  /** Set when the candidate stands for a stored event (its lead): the event beyond this story. */
  event?: CandidateEvent;
}

/**
 * Whether a candidate is a backlog story (never digested). A stored event's candidate
 * is its lead, and the events table leaves backlog stories out, so its story is not read.
 */
export function isBacklog(c: DigestCandidate): boolean {
  return c.event ? false : c.story.backlog;
}

export interface CandidateQuery {
  briefIds: string[];
  /** Stories first seen at or after this ISO time; older ones are not considered. */
  since?: string;
  /** Only stories scoring at least this (alerts). */
  minScore?: number;
}

export interface DigestCandidateSource {
  /** Matched stories of these briefs; the ledger, not the source, decides what a channel still needs. */
  candidates(query: CandidateQuery): DigestCandidate[] | Promise<DigestCandidate[]>;
  /**
   * For a source whose candidates stand for whole events: the ids of each event's stories
   * first seen since an ISO time, which a delivery records beside the lead (so `why`
   * names the digest of every story it accounted for). Read only when delivering.
   */
  eventStoryIds?(keys: string[], since?: string): Map<string, string[]> | Promise<Map<string, string[]>>;
}
