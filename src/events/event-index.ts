import type { EventFeatures } from './event-features.js';

/**
 * Which event a new story reports, decided one story at a time against the
 * events of the last days, kept in memory between polls. A story is compared
 * only with the events that share one of its rarer features (the postings of an
 * inverted index), never with the whole pool, so adding a story costs about the
 * same whether the store holds a thousand stories or a million.
 *
 * Similarity is the cosine of the story's features and the event's centroid,
 * each weighted by how rare a feature is among recent relevant stories (IDF): a
 * shared "Toyota" or "$10bn" counts for much, a shared "Trump" or "Japan" for
 * little. A shared money figure adds to it; figures that all differ, or actions
 * that differ (signs / denies / names), take from it. Stories further apart in
 * time than the window never join. Large events ask more of a newcomer, so one
 * event cannot swallow a news day.
 */

export interface EventIndexOptions {
  /** Similarity from which a story joins an event (config matching.cluster_similarity). */
  threshold: number;
  /** A story joins only events with a story within this many ms of it. */
  windowMs: number;
  /** Events scored in full per story, best by shared rare features first. */
  maxCandidates?: number;
}

/** What the index decided for one story, with what `why` needs to explain it. */
export interface EventAssignment {
  key: string;
  joined: boolean;
  /** Similarity with the event joined (or the best refused one). */
  score: number;
  /** The shared features that weighed most, readable ("toyota", "$10bn"). */
  shared: string[];
  /** Stories in the event, this one included. */
  size: number;
}

interface Member {
  id: string;
  time: number;
  terms: Map<string, number>;
}

interface IndexedEvent {
  key: string;
  first: number;
  last: number;
  members: Member[];
  /** Sum of member weights per feature. */
  centroid: Map<string, number>;
  actions: Map<string, number>;
  figures: Map<string, number>;
}

const DEFAULT_CANDIDATES = 16;
const IDF_PRIOR_DOCS = 100;
// Features that name or count things, or the action: the same in every outlet's wording.
const CORE = /^[cfak]:/;
const FIGURE_BONUS = 0.15;
const FIGURE_MISMATCH = 0.75;
const ACTION_MISMATCH = 0.5;
// From this size on, each doubling asks 0.05 more similarity of a newcomer.
const GROWTH_FROM = 24;
// Members compared one by one: the newest, as an event's wording settles as it is reported.
const MEMBERS_COMPARED = 48;

export class EventIndex {
  private readonly events = new Map<string, IndexedEvent>();
  private readonly eventOf = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly df = new Map<string, number>();
  private docs = 0;

  constructor(private readonly options: EventIndexOptions) {}

  get threshold(): number {
    return this.options.threshold;
  }

  /** Stories indexed (in the window). */
  get size(): number {
    return this.eventOf.size;
  }

  /** The event key of an indexed story. */
  keyOf(storyId: string): string | undefined {
    return this.eventOf.get(storyId);
  }

  /** Files a new story: into the best event above the threshold, else its own (keyed by its id). */
  assign(id: string, time: number, features: EventFeatures): EventAssignment {
    const known = this.eventOf.get(id);
    if (known) return { key: known, joined: true, score: 1, shared: [], size: this.events.get(known)!.members.length };
    this.count(features);
    let best: { event: IndexedEvent; score: number } | undefined;
    for (const event of this.candidates(time, features)) {
      const score = this.similarity(features, event);
      if (!best || score > best.score) best = { event, score };
    }
    const bar = best ? this.options.threshold + growthPenalty(best.event.members.length) : Infinity;
    if (best && best.score >= bar) {
      const shared = this.sharedTerms(features, best.event);
      this.addMember(best.event, id, time, features);
      return { key: best.event.key, joined: true, score: round(best.score), shared, size: best.event.members.length };
    }
    const event = this.newEvent(id, time);
    this.addMember(event, id, time, features);
    return {
      key: id,
      joined: false,
      score: round(best?.score ?? 0),
      shared: best ? this.sharedTerms(features, best.event) : [],
      size: 1,
    };
  }

  /** Puts back a story whose event was decided earlier (at start, from the store). */
  restore(id: string, key: string, time: number, features: EventFeatures): void {
    if (this.eventOf.has(id)) return;
    this.count(features);
    const event = this.events.get(key) ?? this.newEvent(key, time);
    this.addMember(event, id, time, features);
  }

  /** Forgets events whose newest story is older than `before` (epoch ms). */
  evict(before: number): void {
    for (const event of this.events.values()) {
      if (event.last >= before) continue;
      for (const m of event.members) {
        this.eventOf.delete(m.id);
        this.docs -= 1;
        for (const t of m.terms.keys()) {
          const n = (this.df.get(t) ?? 1) - 1;
          if (n <= 0) this.df.delete(t);
          else this.df.set(t, n);
        }
      }
      for (const t of event.centroid.keys()) {
        const list = this.postings.get(t);
        list?.delete(event.key);
        if (list && list.size === 0) this.postings.delete(t);
      }
      this.events.delete(event.key);
    }
  }

  // A prior of documents in which no feature occurs: with few stories indexed (a new
  // bot, a quiet topic) a feature two stories share is not yet "common".
  private idf(term: string): number {
    return Math.log(1 + (this.docs + IDF_PRIOR_DOCS) / ((this.df.get(term) ?? 0) + 1));
  }

  private count(features: EventFeatures): void {
    this.docs += 1;
    for (const t of features.terms.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  private newEvent(key: string, time: number): IndexedEvent {
    const event: IndexedEvent = {
      key,
      first: time,
      last: time,
      members: [],
      centroid: new Map(),
      actions: new Map(),
      figures: new Map(),
    };
    this.events.set(key, event);
    return event;
  }

  private addMember(event: IndexedEvent, id: string, time: number, features: EventFeatures): void {
    event.members.push({ id, time, terms: features.terms });
    event.first = Math.min(event.first, time);
    event.last = Math.max(event.last, time);
    for (const [t, w] of features.terms) {
      const had = event.centroid.get(t);
      event.centroid.set(t, (had ?? 0) + w);
      if (had === undefined) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = new Set()));
        list.add(event.key);
      }
    }
    for (const a of features.actions) event.actions.set(a, (event.actions.get(a) ?? 0) + 1);
    for (const f of features.figures) event.figures.set(f, (event.figures.get(f) ?? 0) + 1);
    this.eventOf.set(id, event.key);
  }

  /** Events sharing the story's rarer features, inside the time window, best overlap first. */
  private candidates(time: number, features: EventFeatures): IndexedEvent[] {
    const { windowMs } = this.options;
    // A feature in more than a fifth of recent stories says too little to look events up by.
    const common = Math.max(50, this.docs / 5);
    const overlap = new Map<string, number>();
    for (const [t, w] of features.terms) {
      if ((this.df.get(t) ?? 0) > common) continue;
      const list = this.postings.get(t);
      if (!list) continue;
      const gain = w * this.idf(t);
      for (const key of list) overlap.set(key, (overlap.get(key) ?? 0) + gain);
    }
    const ranked: [IndexedEvent, number][] = [];
    for (const [key, gain] of overlap) {
      const e = this.events.get(key)!;
      if (time < e.first - windowMs || time > e.last + windowMs) continue;
      ranked.push([e, gain]);
    }
    ranked.sort((a, b) => b[1] - a[1]);
    return ranked.slice(0, this.options.maxCandidates ?? DEFAULT_CANDIDATES).map(([e]) => e);
  }

  private similarity(features: EventFeatures, event: IndexedEvent): number {
    const n = event.members.length;
    let dot = 0;
    let storyNorm = 0;
    for (const [t, w] of features.terms) {
      const idf = this.idf(t);
      const s = w * idf;
      storyNorm += s * s;
      const c = event.centroid.get(t);
      if (c !== undefined) dot += s * (c / n) * idf;
    }
    if (dot === 0) return 0;
    let eventNorm = 0;
    for (const [t, c] of event.centroid) {
      const v = (c / n) * this.idf(t);
      eventNorm += v * v;
    }
    // The centroid, or the closest recent members when the event mixes wordings (a
    // Japanese member's character pairs dilute the centroid for an English newcomer).
    let score = Math.max(
      dot / Math.sqrt(storyNorm * eventNorm),
      this.memberSimilarity(features, event, storyNorm),
      this.coreOverlap(features, event),
    );
    if (features.figures.size && event.figures.size) {
      score = [...features.figures].some((f) => event.figures.has(f)) ? score + FIGURE_BONUS : score * FIGURE_MISMATCH;
    }
    const eventActions = [...event.actions].filter(([, k]) => k * 3 >= n).map(([a]) => a);
    if (features.actions.size && eventActions.length && !eventActions.some((a) => features.actions.has(a)))
      score *= ACTION_MISMATCH;
    return score;
  }

  /**
   * How much of what the event's reports agree on (the names, figures and action
   * most of its stories carry) the story carries too, weighted by rarity: words and
   * character pairs differ across outlets and languages, the core does not.
   */
  private coreOverlap(features: EventFeatures, event: IndexedEvent): number {
    const n = event.members.length;
    let shared = 0;
    let total = 0;
    for (const [t, c] of event.centroid) {
      if (!CORE.test(t) || c < n * 0.4) continue;
      const idf = this.idf(t);
      total += idf;
      if (features.terms.has(t)) shared += idf;
    }
    // What the story says that none of the event's reports say (a name, a figure, a
    // telling word such as "shipbuilding") counts against it; character pairs are too noisy.
    let extra = 0;
    for (const [t, w] of features.terms)
      if (w >= 1 && !t.startsWith('j:') && !event.centroid.has(t)) extra += this.idf(t);
    return total === 0 ? 0 : shared / (total + extra);
  }

  /** Cosine with the most similar of the event's newest members (an event mixes wordings and languages). */
  private memberSimilarity(features: EventFeatures, event: IndexedEvent, storyNorm: number): number {
    let best = 0;
    for (const m of event.members.slice(-MEMBERS_COMPARED)) {
      let dot = 0;
      let norm = 0;
      for (const [t, w] of m.terms) {
        const idf = this.idf(t);
        const v = w * idf;
        norm += v * v;
        const s = features.terms.get(t);
        if (s !== undefined) dot += s * idf * v;
      }
      if (dot > 0) best = Math.max(best, dot / Math.sqrt(storyNorm * norm));
    }
    return best;
  }

  private sharedTerms(features: EventFeatures, event: IndexedEvent): string[] {
    return [...features.terms.keys()]
      .filter((t) => event.centroid.has(t))
      .sort((a, b) => this.idf(b) * (features.terms.get(b) ?? 0) - this.idf(a) * (features.terms.get(a) ?? 0))
      .slice(0, 5)
      .map(readable);
  }
}

function growthPenalty(size: number): number {
  return size < GROWTH_FROM ? 0 : 0.05 * Math.log2(size / GROWTH_FROM + 1);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** "c:toyota" → "toyota", "f:usd:1e10" → "usd 1e10", "j:造船" → "造船". */
function readable(term: string): string {
  return term.replace(/^[wcjk]:/, '').replace(/^f:([a-z]+):/, '$1 ');
}
