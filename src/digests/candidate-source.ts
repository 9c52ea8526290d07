import type { StoredStory } from '../store/story.js';

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
  candidates(query: CandidateQuery): DigestCandidate[];
}
