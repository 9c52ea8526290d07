import type { EventHead } from '../store/match-repo.js';
import type { Store } from '../store/store.js';
import type { StoredStory } from '../store/story.js';
import type { CandidateEvent, DigestCandidate, DigestCandidateSource } from './candidate-source.js';
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
        .map((row) => new StoredCandidate(row, store));
    },
    eventStoryIds: (keys, since) => store.matches.eventStoryIds(keys, since),
  };
}

/**
 * A stored event as a candidate: its lead, read (with its outlet names) only when asked
 * for. It is its own CandidateEvent: a digest makes one per stored event, hundreds per
 * preview, so each is one object.
 */
class StoredCandidate implements DigestCandidate, CandidateEvent {
  readonly briefId: string;
  readonly clusterKey: string;
  readonly newest: number;
  readonly outletCount: number;
  private shown: NewsEvent | undefined;

  constructor(
    private readonly head: EventHead,
    private readonly store: Store,
  ) {
    this.briefId = head.briefId!;
    this.clusterKey = head.key;
    this.newest = Date.parse(head.newest);
    this.outletCount = head.outletCount;
  }

  get event(): CandidateEvent {
    return this;
  }

  get version(): string {
    return `${this.head.storyCount}\u0000${this.head.leadId ?? ''}`;
  }

  get storyId(): string {
    return this.head.leadId ?? this.whole().lead.story.id;
  }

  get score(): number {
    return this.head.leadScore ?? this.whole().score;
  }

  get outlets(): string[] {
    return this.whole().outlets;
  }

  get story(): StoredStory {
    return this.whole().lead.story;
  }

  /** The lead and up to COVERAGE_STORIES - 1 other stories: what a brief is compared with. */
  stories(): StoredStory[] {
    const lead = this.story;
    const others = eventStories(this.head.key, this.store, COVERAGE_STORIES).filter((m) => m.story.id !== lead.id);
    return [lead, ...others.slice(0, COVERAGE_STORIES - 1).map((m) => m.story)];
  }

  private whole(): NewsEvent {
    return (this.shown ??= fromStoredEvents([this.head], this.store)[0]!);
  }
}
