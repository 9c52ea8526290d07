import type { DigestCandidate, DigestCandidateSource } from './candidate-source.js';
import type { Store } from '../store/store.js';
import { outletOf } from '../events/outlet.js';

/**
 * Digests' view of matching: stories tied to the asked briefs, each with its
 * score, its event's cluster key and its outlet, read from the stored decisions.
 * A story not clustered yet is its own event.
 */
export function createDigestCandidateSource(store: Store): DigestCandidateSource {
  return {
    candidates({ briefIds, since, minScore }) {
      const decisions = store.matches.forBriefs(briefIds, { since, minScore });
      const stories = new Map(store.stories.getMany(decisions.map((d) => d.storyId)).map((s) => [s.id, s]));
      const out: DigestCandidate[] = [];
      for (const d of decisions) {
        const story = stories.get(d.storyId);
        if (!story || !d.briefId) continue;
        out.push({
          storyId: d.storyId,
          briefId: d.briefId,
          score: d.score,
          clusterKey: d.clusterKey ?? d.storyId,
          outlets: [outletOf(story)],
          story,
        });
      }
      return out;
    },
  };
}
