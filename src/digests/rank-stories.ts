import type { DigestCandidate } from './candidate-source.js';
import { formatAge } from '../messages/format-age.js';
import { outletOf } from '../matching/cluster.js';

/** One event as a channel sees it: the best story about it and every story that joined it. */
export interface StoryCluster {
  key: string;
  briefId: string;
  /** The story shown: the best-scoring one, the earliest on a tie. */
  lead: DigestCandidate;
  members: DigestCandidate[];
  /** Distinct outlets that covered the event. */
  outlets: string[];
  /** Highest relevance among the members. */
  score: number;
  /** Newest member's time (published, else first seen), epoch ms. */
  newest: number;
  rank: number;
}

/** Relevance weighs most; recency and breadth of coverage order events of similar relevance. */
const WEIGHTS = { relevance: 0.7, recency: 0.15, coverage: 0.15 };
/** A story loses half its recency weight a day: a daily digest's stories all count. */
const RECENCY_HALF_LIFE_H = 24;
/** Coverage saturates at five outlets: past that, more outlets say little more. */
const COVERAGE_SATURATION = 4;

/** When a story happened as far as a reader cares: its publication time, else when we first saw it. */
export function storyTime(c: DigestCandidate): number {
  const published = c.story.published ? Date.parse(c.story.published) : NaN;
  const seen = Date.parse(c.story.firstSeen);
  // A publication date after we first saw it is a feed's clock error: trust first seen.
  return Number.isFinite(published) && !(published > seen) ? published : seen;
}

/**
 * Groups candidates into events. A story matched to several briefs counts once,
 * under the brief it scores best for (the order of `briefIds` breaks ties); an
 * event goes under its best story's brief.
 */
export function clusterCandidates(candidates: DigestCandidate[], briefIds: string[], now: Date): StoryCluster[] {
  const order = (id: string) => {
    const i = briefIds.indexOf(id);
    return i === -1 ? briefIds.length : i;
  };
  const bestPerStory = new Map<string, DigestCandidate>();
  for (const c of candidates) {
    const seen = bestPerStory.get(c.storyId);
    if (!seen || c.score > seen.score || (c.score === seen.score && order(c.briefId) < order(seen.briefId))) bestPerStory.set(c.storyId, c);
  }
  const groups = new Map<string, DigestCandidate[]>();
  for (const c of bestPerStory.values()) groups.set(c.clusterKey, [...(groups.get(c.clusterKey) ?? []), c]);
  return [...groups.entries()].map(([key, members]) => {
    const sorted = [...members].sort((a, b) => b.score - a.score || storyTime(a) - storyTime(b) || a.storyId.localeCompare(b.storyId));
    const lead = sorted[0]!;
    const outlets = [...new Set(sorted.flatMap((m) => m.outlets))];
    const newest = Math.max(...sorted.map(storyTime));
    return { key, briefId: lead.briefId, lead, members: sorted, outlets, score: lead.score, newest, rank: rankOf(lead.score, newest, outlets.length, now) };
  });
}

/** The rank of an event in 0..1: relevance, recency and how many outlets covered it. */
export function rankOf(score: number, newest: number, outletCount: number, now: Date): number {
  const ageHours = Math.max(0, now.getTime() - newest) / 3_600_000;
  const recency = Math.pow(0.5, ageHours / RECENCY_HALF_LIFE_H);
  const coverage = Math.min(1, Math.max(0, outletCount - 1) / COVERAGE_SATURATION);
  return WEIGHTS.relevance * score + WEIGHTS.recency * recency + WEIGHTS.coverage * coverage;
}

/** Best first; stable and deterministic (newer, then key) so a preview matches what is sent. */
export function rankClusters(clusters: StoryCluster[]): StoryCluster[] {
  return [...clusters].sort((a, b) => b.rank - a.rank || b.newest - a.newest || a.key.localeCompare(b.key));
}

/** The line under a headline: "Nikkei · 3h ago · also covered by 2 outlets". */
export function clusterMeta(cluster: StoryCluster, now: Date): string {
  const outlet = cluster.lead.outlets[0] ?? outletOf(cluster.lead.story);
  const others = cluster.outlets.filter((o) => o !== outlet).length;
  const parts = [outlet, formatAge(storyTime(cluster.lead), now)];
  if (others > 0) parts.push(`also covered by ${others} outlet${others === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
