import type { DigestCandidate, DigestCandidateSource } from './candidate-source.js';
import type { Store } from '../store/store.js';
import { eventStories, fromStoredEvents } from './read-events.js';

/** The most events one digest or alert check ranks (newest first): far more than any digest shows. */
const EVENT_LIMIT = 1_000;

/**
 * Digests' view of matching: the stored events of the asked briefs (the events
 * table, one indexed query), each as one candidate, its lead story, with its
 * score, key, outlets and newest time as stored. Only the leads are read.
 */
export function createDigestCandidateSource(store: Store): DigestCandidateSource {
  return {
    candidates({ briefIds, since, minScore }) {
      const rows = store.matches.latestEvents({ briefIds, since, minScore, limit: EVENT_LIMIT });
      const events = fromStoredEvents(rows, store);
      const out: DigestCandidate[] = [];
      rows.forEach((row, i) => {
        const event = events[i]!;
        if (!row.briefId || !event.lead) return;
        out.push({
          storyId: event.lead.story.id,
          briefId: row.briefId,
          score: event.score,
          clusterKey: row.key,
          outlets: event.outlets,
          story: event.lead.story,
          event: {
            newest: event.newest,
            outletCount: row.outletCount,
            stories: () => eventStories(row.key, store).map((m) => m.story),
          },
        });
      });
      return out;
    },
    eventStoryIds: (keys, since) => store.matches.eventStoryIds(keys, since),
  };
}
