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
  /** An event this large takes no newcomer: a later report starts another (default 1,000). */
  maxEventSize?: number;
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
  /** Squared IDF-weighted norm, and the pool size it was computed at. */
  norm?: { docs: number; value: number };
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
  /** See centroidNorm. */
  norm?: { size: number; docs: number; value: number };
  /** See coreOf. */
  core?: { size: number; terms: string[] };
}

const DEFAULT_CANDIDATES = 10;
const IDF_PRIOR_DOCS = 100;
// Event keys read from postings per story, at most.
const POSTINGS_BUDGET = 300;
// Fewer features than this and a story is never joined with another.
const MIN_FEATURES = 2;
const MAX_EVENT_SIZE = 1_000;
// Features that name or count things, or the action: the same in every outlet's wording.
const CORE = /^[cfak]:/;
const FIGURE_BONUS = 0.15;
const FIGURE_MISMATCH = 0.75;
const ACTION_MISMATCH = 0.5;
// From this size on, each doubling asks 0.05 more similarity of a newcomer.
const GROWTH_FROM = 24;
// Members compared one by one: the newest, as an event's wording settles as it is reported.
const MEMBERS_COMPARED = 8;
// Candidate events compared member by member (the closest by centroid and core).
const MEMBER_CHECKED_EVENTS = 2;

export class EventIndex {
  private readonly events = new Map<string, IndexedEvent>();
  private readonly eventOf = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly df = new Map<string, number>();
  private docs = 0;
  private readonly idfMemo = new Map<string, number>();
  private idfDocs = -1;

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
    // Too little to tell one happening from another (an empty title, one word): an event
    // of its own that nothing joins, so such stories never pile up into one.
    if (features.terms.size < MIN_FEATURES) {
      const event = this.newEvent(id, time);
      this.addMember(event, id, time, features, false);
      return { key: id, joined: false, score: 0, shared: [], size: 1 };
    }
    let best: { event: IndexedEvent; score: number } | undefined;
    const norm = this.storyNorm(features);
    // The cheap scores for every candidate; comparing member by member only for the closest few.
    const scored = this.candidates(time, features)
      .map((event) => ({ event, base: this.baseSimilarity(features, event, norm) }))
      .sort((a, b) => b.base - a.base);
    for (const [i, { event, base }] of scored.entries()) {
      const score = this.adjust(
        features,
        event,
        i < MEMBER_CHECKED_EVENTS ? Math.max(base, this.memberSimilarity(features, event, norm)) : base,
      );
      if (!best || score > best.score) best = { event, score };
    }
    const full = best && best.event.members.length >= (this.options.maxEventSize ?? MAX_EVENT_SIZE);
    const bar = best && !full ? this.options.threshold + growthPenalty(best.event.members.length) : Infinity;
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
    // Memoised for the current pool size: one story's scoring asks for the same terms many times.
    if (this.idfDocs !== this.docs) {
      this.idfMemo.clear();
      this.idfDocs = this.docs;
    }
    let v = this.idfMemo.get(term);
    if (v === undefined) {
      v = Math.log(1 + (this.docs + IDF_PRIOR_DOCS) / ((this.df.get(term) ?? 0) + 1));
      this.idfMemo.set(term, v);
    }
    return v;
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

  private addMember(event: IndexedEvent, id: string, time: number, features: EventFeatures, findable = true): void {
    event.members.push({ id, time, terms: features.terms });
    event.first = Math.min(event.first, time);
    event.last = Math.max(event.last, time);
    for (const [t, w] of features.terms) {
      const had = event.centroid.get(t);
      event.centroid.set(t, (had ?? 0) + w);
      if (had === undefined && findable) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = new Set()));
        list.add(event.key);
      }
    }
    for (const a of features.actions) event.actions.set(a, (event.actions.get(a) ?? 0) + 1);
    for (const f of features.figures) event.figures.set(f, (event.figures.get(f) ?? 0) + 1);
    this.eventOf.set(id, event.key);
  }

  /**
   * Events sharing the story's rarer features, inside the time window, best overlap
   * first. Postings are read rarest first, within a budget: a feature most events
   * share ("Japan" on a Japan news day) says too little to look events up by, and
   * reading its list would make each story cost as much as the pool is large.
   */
  private candidates(time: number, features: EventFeatures): IndexedEvent[] {
    const { windowMs } = this.options;
    const lists: [number, Set<string>][] = [];
    for (const [t, w] of features.terms) {
      const list = this.postings.get(t);
      if (list) lists.push([w * this.idf(t), list]);
    }
    lists.sort((a, b) => a[1].size - b[1].size);
    const overlap = new Map<string, number>();
    let read = 0;
    for (const [gain, list] of lists) {
      if (read + list.size > POSTINGS_BUDGET) break;
      read += list.size;
      for (const key of list) overlap.set(key, (overlap.get(key) ?? 0) + gain);
    }
    const max = this.options.maxCandidates ?? DEFAULT_CANDIDATES;
    // The best few by overlap, kept sorted as they come (no sort of every event read).
    const top: [IndexedEvent, number][] = [];
    for (const [key, gain] of overlap) {
      if (top.length === max && gain <= top[max - 1]![1]) continue;
      const e = this.events.get(key)!;
      if (time < e.first - windowMs || time > e.last + windowMs) continue;
      let i = top.length;
      while (i > 0 && top[i - 1]![1] < gain) i--;
      top.splice(i, 0, [e, gain]);
      if (top.length > max) top.pop();
    }
    return top.map(([e]) => e);
  }

  /** Cosine with the event's centroid, or its core overlap, whichever is higher. */
  private baseSimilarity(features: EventFeatures, event: IndexedEvent, storyNorm: number): number {
    const n = event.members.length;
    let dot = 0;
    for (const [t, w] of features.terms) {
      const c = event.centroid.get(t);
      if (c === undefined) continue;
      const idf = this.idf(t);
      dot += w * idf * (c / n) * idf;
    }
    if (dot === 0) return 0;
    return Math.max(dot / Math.sqrt(storyNorm * this.centroidNorm(event)), this.coreOverlap(features, event));
  }

  /** A shared money figure adds; figures that all differ, or a different action, take away. */
  private adjust(features: EventFeatures, event: IndexedEvent, similarity: number): number {
    let score = similarity;
    if (features.figures.size && event.figures.size) {
      score = [...features.figures].some((f) => event.figures.has(f)) ? score + FIGURE_BONUS : score * FIGURE_MISMATCH;
    }
    const n = event.members.length;
    const eventActions = [...event.actions].filter(([, k]) => k * 3 >= n).map(([a]) => a);
    if (features.actions.size && eventActions.length && !eventActions.some((a) => features.actions.has(a)))
      score *= ACTION_MISMATCH;
    return score;
  }

  private storyNorm(features: Pick<EventFeatures, 'terms'>): number {
    let norm = 0;
    for (const [t, w] of features.terms) {
      const v = w * this.idf(t);
      norm += v * v;
    }
    return norm;
  }

  /**
   * How much of what the event's reports agree on (the names, figures and action
   * most of its stories carry) the story carries too, weighted by rarity: words and
   * character pairs differ across outlets and languages, the core does not.
   */
  private coreOverlap(features: EventFeatures, event: IndexedEvent): number {
    let shared = 0;
    let total = 0;
    for (const t of this.coreOf(event)) {
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

  /** The features at least 40% of an event's stories carry, kept until the event grows. */
  private coreOf(event: IndexedEvent): string[] {
    const n = event.members.length;
    if (event.core?.size === n) return event.core.terms;
    const terms = [...event.centroid].filter(([t, c]) => c >= n * 0.4 && CORE.test(t)).map(([t]) => t);
    event.core = { size: n, terms };
    return terms;
  }

  /**
   * The squared norm of an event's IDF-weighted centroid, kept until the event grows
   * or the IDF has drifted (the pool grew by 2%): recomputing it for every story
   * would make big events cost as much as their vocabulary.
   */
  private centroidNorm(event: IndexedEvent): number {
    const n = event.members.length;
    const cached = event.norm;
    if (cached && cached.size === n && Math.abs(cached.docs - this.docs) <= this.docs * 0.02) return cached.value;
    let value = 0;
    for (const [t, c] of event.centroid) {
      const v = (c / n) * this.idf(t);
      value += v * v;
    }
    event.norm = { size: n, docs: this.docs, value };
    return value;
  }

  /** Cosine with the most similar of the event's newest members (an event mixes wordings and languages). */
  private memberSimilarity(features: EventFeatures, event: IndexedEvent, storyNorm: number): number {
    let best = 0;
    for (const m of event.members.slice(-MEMBERS_COMPARED)) {
      let dot = 0;
      for (const [t, w] of features.terms) {
        const v = m.terms.get(t);
        if (v === undefined) continue;
        const idf = this.idf(t);
        dot += w * idf * v * idf;
      }
      if (dot === 0) continue;
      if (!m.norm || Math.abs(m.norm.docs - this.docs) > this.docs * 0.02)
        m.norm = { docs: this.docs, value: this.storyNorm(m) };
      best = Math.max(best, dot / Math.sqrt(storyNorm * m.norm.value));
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
