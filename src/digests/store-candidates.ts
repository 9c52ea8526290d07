import type { StoredEvent } from '../store/match-repo.js';
import type { Store } from '../store/store.js';
import type { DigestCandidate, DigestCandidateSource } from './candidate-source.js';
import type { NewsEvent } from '../events/news-event.js';
import { COVERAGE_STORIES, eventStories, fromStoredEvents } from './read-events.js';

/** The most events one digest or alert check ranks (newest first): far more than any digest shows. */
const EVENT_LIMIT = 1_000;

/**
 * Digests' view of matching: the stored events of the asked briefs (the events
 * table, one indexed query), each as one candidate, its lead, with the score,
 * key, newest time and outlet count as stored. A digest ranks every event but
 * shows a few, so a lead's story (and its outlet names) is read only when asked for.
 */
export function createDigestCandidateSource(store: Store): DigestCandidateSource {
  return {
    candidates({ briefIds, since, minScore }) {
      return store.matches
        .latestEvents({ briefIds, since, minScore, limit: EVENT_LIMIT })
        .filter((row) => row.briefId)
        .map((row) => storedCandidate(row, store));
    },
    eventStoryIds: (keys, since) => store.matches.eventStoryIds(keys, since),
  };
}

function storedCandidate(row: StoredEvent, store: Store): DigestCandidate {
  let shown: NewsEvent | undefined;
  const event = () => (shown ??= fromStoredEvents([row], store)[0]!);
  return {
    storyId: row.leadId ?? event().lead.story.id,
    briefId: row.briefId!,
    score: row.leadScore ?? event().score,
    clusterKey: row.key,
    get outlets() {
      return event().outlets;
    },
    get story() {
      return event().lead.story;
    },
    event: {
      newest: Date.parse(row.newest),
      outletCount: row.outletCount,
      stories: () => {
        const lead = event().lead.story;
        const others = eventStories(row.key, store, COVERAGE_STORIES).filter((m) => m.story.id !== lead.id);
        return [lead, ...others.slice(0, COVERAGE_STORIES - 1).map((m) => m.story)];
      },
    },
  };
}
