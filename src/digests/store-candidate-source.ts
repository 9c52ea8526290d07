import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import { clusterStories, outletOf } from '../matching/cluster.js';
import { createMatcher, type RelevanceMatcher } from '../matching/relevance.js';
import type { Store } from '../store/store.js';
import type { StoredStory } from '../store/story.js';
import type { CandidateQuery, DigestCandidate, DigestCandidateSource } from './candidate-source.js';

/** More stories than a week of any sane feed list brings; a bound on one digest's work. */
const MAX_STORIES = 5_000;

/**
 * Candidates from the stored stories, decided and clustered on the spot with
 * src/matching (its relevance matcher and title clustering). This stands in
 * until matching stores its decisions and cluster keys in a table; then this
 * becomes a query over that table and nothing else in digests changes.
 */
export function storeCandidateSource(deps: { store: Store; getConfig: () => Config; getBriefs: () => BriefRegistry }): DigestCandidateSource {
  let cached: { briefs: BriefRegistry; matching: Config['matching']; matcher: RelevanceMatcher } | undefined;
  const matcher = () => {
    const briefs = deps.getBriefs();
    const matching = deps.getConfig().matching;
    // Rebuilt when a reload swaps the briefs or the matching settings.
    if (!cached || cached.briefs !== briefs || cached.matching !== matching) cached = { briefs, matching, matcher: createMatcher(briefs.briefs, matching) };
    return cached.matcher;
  };

  return {
    candidates(query: CandidateQuery): DigestCandidate[] {
      const stories = deps.store.stories.recent({ limit: MAX_STORIES, ...(query.since ? { seenSince: query.since } : {}) });
      const m = matcher();
      const matched: { story: StoredStory; briefId: string; score: number }[] = [];
      for (const story of stories) {
        const d = m.decide({ title: story.title, summary: story.summary, published: story.published, lang: story.lang });
        if (!d.relevant || !d.brief || !query.briefIds.includes(d.brief)) continue;
        if (query.minScore !== undefined && d.score < query.minScore) continue;
        matched.push({ story, briefId: d.brief, score: d.score });
      }
      const byId = new Map(matched.map((x) => [x.story.id, x]));
      const clusters = clusterStories(
        matched.map((x) => ({ id: x.story.id, title: x.story.title, url: x.story.url, feedId: x.story.feedId, published: x.story.published ?? x.story.firstSeen })),
        { similarity: deps.getConfig().matching.cluster_similarity },
      );
      return clusters.flatMap((c) =>
        c.members.map((member) => {
          const x = byId.get(member.id)!;
          // The earliest story names the event, so the key holds while later copies join.
          return { storyId: x.story.id, briefId: x.briefId, score: x.score, clusterKey: `c:${c.lead.id}`, outlets: [outletOf(member)], story: x.story };
        }),
      );
    },
  };
}
