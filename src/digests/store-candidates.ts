import type { EventHead } from '../store/match-repo.js';
import type { AsyncStore } from '../store/async-store.js';
import type { StoredStory } from '../store/story.js';
import type { CandidateEvent, DigestCandidate, DigestCandidateSource } from './candidate-source.js';
import type { NewsEvent } from '../events/news-event.js';
import { readStoredEvents, type ReadEvent } from './read-events.js';

/** The most events one digest or alert check ranks (newest first): far more than any digest shows. */
const EVENT_LIMIT = 1_000;

/**
 * Digests' view of matching: the stored events of the asked briefs (the events
 * table, one indexed query), each as one candidate, its lead, with the score,
 * key, newest time and outlet count as stored. A digest ranks every event but
 * shows a few, so a lead's story (and its outlet names) is read only for those
 * (load()); an event whose lead is not chosen yet is read at once, as ranking needs it.
 */
export function createDigestCandidateSource(store: AsyncStore): DigestCandidateSource {
  return {
    async candidates({ briefIds, since, minScore }) {
      const rows = await store.matches.latestEvents({ briefIds, since, minScore, limit: EVENT_LIMIT });
      const candidates = rows.filter((row) => row.briefId).map((row) => new StoredCandidate(row, store));
      await loadStored(
        candidates.filter((c) => !c.hasLead),
        store,
      );
      // An event without a lead is ranked by its stories: one with none left to show is skipped.
      return candidates.filter((c) => !c.gone);
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
  private coverage: StoredStory[] | undefined;
  /** Read, and found with no story left to show. */
  gone = false;

  constructor(
    readonly head: EventHead,
    private readonly store: AsyncStore,
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

  get hasLead(): boolean {
    return this.head.leadId !== null;
  }

  /** The lead and up to COVERAGE_STORIES - 1 other stories: what a brief is compared with. */
  stories(): StoredStory[] {
    if (!this.coverage) throw this.notLoaded();
    return this.coverage;
  }

  get loaded(): boolean {
    return this.coverage !== undefined || this.gone;
  }

  /** Reads this event, and with it those of `together` (the others shown) not read yet: the same reads for all. */
  async load(together: readonly CandidateEvent[] = []): Promise<void> {
    if (this.loaded) return;
    const others = together.filter((e): e is StoredCandidate => e instanceof StoredCandidate && e !== this);
    await loadStored([this, ...others], this.store);
  }

  /** What readStoredEvents read for it (nothing: the event has no story left to show). */
  read(r: ReadEvent | undefined): void {
    this.gone = !r;
    if (!r) return;
    this.shown = r.event;
    this.coverage = r.coverage.map((m) => m.story);
  }

  private whole(): NewsEvent {
    if (!this.shown) throw this.notLoaded();
    return this.shown;
  }

  private notLoaded(): Error {
    if (this.gone) return new Error(`the stored event ${this.head.key} has no story left to show`);
    return new Error(`the stored event ${this.head.key} was shown before load() read its stories (a bug in dealbot)`);
  }
}

/** Reads these candidates' events (those not read yet) together: a few queries for all, not a few per event. */
async function loadStored(candidates: StoredCandidate[], store: AsyncStore): Promise<void> {
  const unread = [...new Set(candidates)].filter((c) => !c.loaded);
  if (!unread.length) return;
  const read = await readStoredEvents(
    unread.map((c) => c.head),
    store,
    true,
  );
  const byKey = new Map(read.map((r) => [r.head.key, r]));
  for (const c of unread) c.read(byKey.get(c.clusterKey));
}
