import type { EventFeatures } from './event-features.js';

/**
 * Which event a new story reports, decided one story at a time against the
 * events of the last days, kept in memory between polls. A story is compared
 * only with the events that share one of its rarer features (the postings of an
 * inverted index), never with the whole pool, so adding a story costs about the
 * same whether the store holds a thousand stories or a million.
 *
 * Similarity compares the story with the event as a whole: the cosine of the
 * story's features and the event's profile (each feature weighted by the share of
 * the event's stories that carry it, and by how rare it is among recent relevant
 * stories, IDF: a shared "Toyota" or "$10bn" counts for much, a shared "Trump" or
 * "Japan" for little), or with the closest of its newest stories, whichever is
 * higher. Both are taken in the feature spaces the two have in common, so a
 * Japanese report of an English event is judged on the names, figures and action
 * they can share. A shared money figure (or one amount in two currencies) adds;
 * figures in one currency that all differ, an action other than the one the event's reports agree on (signs /
 * denies / names), a reaction to what the event reports, an analysis among
 * reports (or a report among analyses), and days between the story and the event
 * take away. Stories further apart in time than the window never join. Large
 * events ask more of a newcomer, so one event cannot swallow a news day.
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
  /** Which scripts' words it has (SPACE_* bits). */
  spaces: number;
  /** Squared IDF-weighted norm per space, and the pool size it was computed at. */
  norm?: { docs: number; value: number[] };
}

/** A near story held for a second look when its event grows (see hold). */
export interface HeldStory {
  id: string;
  time: number;
  features: EventFeatures;
}

interface IndexedEvent {
  key: string;
  first: number;
  last: number;
  /** Sum of member times (epoch ms): with the size, the event's mean time. */
  timeSum: number;
  members: Member[];
  /** Sum of member weights per feature. */
  centroid: Map<string, number>;
  /** Members carrying each feature. */
  carriers: Map<string, number>;
  /** Members with words of each space (index SPACE_*): a word's share is counted among them. */
  inSpace: number[];
  actions: Map<string, number>;
  figures: Map<string, number>;
  /** Members that are analyses or explainers rather than reports. */
  analyses: number;
  /** See profileNorm. */
  norm?: { size: number; docs: number; value: number[] };
}

const DEFAULT_CANDIDATES = 10;
// A feature in at most this share of the indexed stories (or in two) tells one happening from others.
const TELLING_SHARE = 0.1;
// Telling features a probed story must share with the event (see probe).
const MIN_TELLING = 2;
const IDF_PRIOR_DOCS = 100;
// Event keys read from postings per story, at most.
const POSTINGS_BUDGET = 300;
// Fewer features than this and a story is never joined with another.
const MIN_FEATURES = 2;
const MAX_EVENT_SIZE = 1_000;
const FIGURE_BONUS = 0.15;
const FIGURE_MISMATCH = 0.75;
const ACTION_MISMATCH = 0.5;
const SINGLE_ACTION_MISMATCH = 0.7;
const REACTION_MISMATCH = 0.35;
const GENRE_MISMATCH = 0.2;
const ANALYSIS_COPY = 0.5;
// Meeting and agreeing are how most happenings of diplomacy are told, whatever else they did:
// they tell no signing from a truce, so they never count as a different action.
const WEAK_ACTIONS = new Set(['a:meet', 'a:agree']);
const REACTIONS = new Set(['a:deny', 'a:reject', 'a:criticize', 'a:respond', 'a:confirm']);
// A story this long after (or before) an event's stories is judged as it is; later, its
// similarity halves every TIME_HALF_LIFE_MS: follow-ups days later are usually new happenings.
const TIME_GRACE_MS = 8 * 3_600_000;
const TIME_HALF_LIFE_MS = 16 * 3_600_000;
// From this size on, each doubling asks 0.05 more similarity of a newcomer.
const GROWTH_FROM = 40;
// Members compared one by one: the newest, as an event's wording settles as it is reported.
const MEMBERS_COMPARED = 8;
// Candidate events compared member by member (the closest by profile).
const MEMBER_CHECKED_EVENTS = 2;
// Near stories held for a second look (see hold), at most; the oldest go first.
const MAX_HELD = 5_000;
// Held stories' postings read per filed story, and held stories probed again per filed story, at most.
const HELD_POSTINGS_BUDGET = 200;
const HELD_PROBED = 8;

/**
 * Feature spaces: names, figures and actions (one key in every language), words of
 * spaced scripts, and Japanese character pairs. An English story and a Japanese
 * event can only share the first; each is compared in the spaces both have, so a
 * translation is not diluted by words it cannot share.
 */
const NEUTRAL = 0;
const WORDS = 1;
const PAIRS = 2;
const SPACES = 3;

function spaceOf(term: string): number {
  return term.startsWith('w:') ? WORDS : term.startsWith('j:') ? PAIRS : NEUTRAL;
}

/** Bit k set: the terms have some feature of space k (the neutral space always counts). */
function spacesOf(terms: Map<string, number>): number {
  let bits = 1 << NEUTRAL;
  for (const t of terms.keys()) bits |= 1 << spaceOf(t);
  return bits;
}

export class EventIndex {
  private readonly events = new Map<string, IndexedEvent>();
  private readonly eventOf = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly df = new Map<string, number>();
  private docs = 0;
  private readonly idfMemo = new Map<string, number>();
  private idfDocs = -1;
  /** Near stories not yet filed, oldest first, and their postings (telling terms, no actions). */
  private readonly held = new Map<string, HeldStory>();
  private readonly heldPostings = new Map<string, Set<string>>();

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
    this.release(id);
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
    const best = this.best(time, features);
    if (best && best.score >= this.bar(best.event)) {
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

  /**
   * The event a story would join, without filing it: for a story the matcher found
   * not quite on topic, whose event may say it is (see MatchService). Undefined when
   * it would start an event of its own. `telling`: how many of the event's rarer
   * features the story shares.
   */
  probe(
    time: number,
    features: EventFeatures,
  ): { key: string; score: number; shared: string[]; telling: number } | undefined {
    if (features.terms.size < MIN_FEATURES) return undefined;
    const best = this.best(time, features);
    if (!best || best.score < this.bar(best.event)) return undefined;
    // Sure only on what few stories say: an action and "Japan", "US" match half a news day.
    // What few stories besides the event's own say counts too (see isTellingOf).
    // An action counts only when the headline reports it, the event's reports agree on it and
    // few stories report it: "arrives" on a day of signings tells the arrival apart.
    const n = best.event.members.length;
    const telling = [...features.terms.keys()].filter(
      (t) =>
        best.event.centroid.has(t) &&
        this.isTellingOf(t, best.event) &&
        (!t.startsWith('a:') ||
          (features.headline.has(t) && !WEAK_ACTIONS.has(t) && (best.event.actions.get(t) ?? 0) * 2 > n)),
    );
    // Japanese character pairs are pieces of words: pairs alone match a shared phrase ("新たな
    // 黄金時代", a golden age two happenings hailed), not a name, figure or action of the event.
    if (telling.length < MIN_TELLING || telling.every((t) => t.startsWith('j:'))) return undefined;
    return {
      key: best.event.key,
      score: round(best.score),
      shared: this.sharedTerms(features, best.event),
      telling: telling.length,
    };
  }

  /**
   * Keeps a near story that joined no event (see probe) for a second look: its event
   * may not have been reported yet, or only in another language. Bounded (the oldest
   * go first) and forgotten with the window; filing it (assign) releases it.
   */
  hold(story: HeldStory): void {
    if (this.held.has(story.id) || this.eventOf.has(story.id) || story.features.terms.size < MIN_FEATURES) return;
    if (this.held.size >= MAX_HELD) this.release(this.held.keys().next().value!);
    this.held.set(story.id, story);
    for (const t of story.features.terms.keys()) {
      if (t.startsWith('a:')) continue;
      let list = this.heldPostings.get(t);
      if (!list) this.heldPostings.set(t, (list = new Set()));
      list.add(story.id);
    }
  }

  /** Near stories held: how many. */
  get heldCount(): number {
    return this.held.size;
  }

  /**
   * Held near stories that now clearly belong to the event `key`, which a story with
   * these features just joined or started: those sharing its telling features, most
   * shared first, a few at most, each probed again (see probe). They stay held until
   * the caller files them.
   */
  reprobe(key: string, features: EventFeatures): (HeldStory & { score: number; shared: string[]; telling: number })[] {
    if (!this.held.size) return [];
    const lists: Set<string>[] = [];
    for (const t of features.terms.keys()) {
      const list = this.heldPostings.get(t);
      if (list && !t.startsWith('a:') && this.isTelling(t)) lists.push(list);
    }
    lists.sort((a, b) => a.size - b.size);
    const shared = new Map<string, number>();
    let read = 0;
    for (const list of lists) {
      if (read + list.size > HELD_POSTINGS_BUDGET) break;
      read += list.size;
      for (const id of list) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    const out: (HeldStory & { score: number; shared: string[]; telling: number })[] = [];
    // A held story sharing fewer telling features with the newcomer than a probe needs is
    // rarely lifted by it, and probing costs a full comparison: the cascade of probes was most
    // of a big poll's matching time.
    const likely = [...shared].filter(([, n]) => n >= MIN_TELLING);
    for (const [id] of likely.sort((a, b) => b[1] - a[1]).slice(0, HELD_PROBED)) {
      const story = this.held.get(id)!;
      const p = this.probe(story.time, story.features);
      if (p?.key === key) out.push({ ...story, score: p.score, shared: p.shared, telling: p.telling });
    }
    return out;
  }

  private release(id: string): void {
    const story = this.held.get(id);
    if (!story) return;
    this.held.delete(id);
    for (const t of story.features.terms.keys()) {
      const list = this.heldPostings.get(t);
      list?.delete(id);
      if (list && list.size === 0) this.heldPostings.delete(t);
    }
  }

  /**
   * A feature most of the event's reports carry and few other stories have: it tells the
   * event from other happenings however many reports the event has (a big event's own
   * names are common in the pool only because the event is big).
   */
  private isTellingOf(term: string, event: IndexedEvent): boolean {
    if (this.isTelling(term)) return true;
    const n = event.members.length;
    const own = event.carriers.get(term) ?? 0;
    return own * 2 > n && (this.df.get(term) ?? 0) - own <= Math.max(2, (this.docs - n) * TELLING_SHARE);
  }

  /** A feature few recent stories have: it tells one happening from others. */
  private isTelling(term: string): boolean {
    return (this.df.get(term) ?? 0) <= Math.max(2, this.docs * TELLING_SHARE);
  }

  /** The candidate event most similar to the story, with its adjusted score. */
  private best(time: number, features: EventFeatures): { event: IndexedEvent; score: number } | undefined {
    let best: { event: IndexedEvent; score: number } | undefined;
    const story = { terms: features.terms, spaces: spacesOf(features.terms), norm: this.normBySpace(features.terms) };
    // The profile score for every candidate; comparing member by member only for the closest few.
    const scored = this.candidates(time, features)
      .map((event) => ({ event, base: this.profileSimilarity(story, event) }))
      .sort((a, b) => b.base - a.base);
    for (const [i, { event, base }] of scored.entries()) {
      const similarity = i < MEMBER_CHECKED_EVENTS ? Math.max(base, this.memberSimilarity(story, event)) : base;
      const score = this.adjust(features, time, event, similarity);
      if (!best || score > best.score) best = { event, score };
    }
    return best;
  }

  /** The similarity a newcomer needs to join the event: more as it grows; a full event takes none. */
  private bar(event: IndexedEvent): number {
    const size = event.members.length;
    if (size >= (this.options.maxEventSize ?? MAX_EVENT_SIZE)) return Infinity;
    return this.options.threshold + growthPenalty(size);
  }

  /** Puts back a story whose event was decided earlier (at start, from the store; or by another replica). */
  restore(id: string, key: string, time: number, features: EventFeatures): void {
    if (this.eventOf.has(id)) return;
    // A near story held here that another replica filed: it is in that event now.
    this.release(id);
    this.count(features);
    const event = this.events.get(key) ?? this.newEvent(key, time);
    this.addMember(event, id, time, features);
  }

  /** Forgets events whose newest story is older than `before` (epoch ms), and held stories as old. */
  evict(before: number): void {
    for (const story of [...this.held.values()]) if (story.time < before) this.release(story.id);
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
      timeSum: 0,
      members: [],
      centroid: new Map(),
      carriers: new Map(),
      inSpace: new Array<number>(SPACES).fill(0),
      actions: new Map(),
      figures: new Map(),
      analyses: 0,
    };
    this.events.set(key, event);
    return event;
  }

  private addMember(event: IndexedEvent, id: string, time: number, features: EventFeatures, findable = true): void {
    const spaces = spacesOf(features.terms);
    event.members.push({ id, time, terms: features.terms, spaces });
    for (let k = 0; k < SPACES; k++) if (spaces & (1 << k)) event.inSpace[k]! += 1;
    event.first = Math.min(event.first, time);
    event.last = Math.max(event.last, time);
    event.timeSum += time;
    for (const [t, w] of features.terms) {
      const had = event.centroid.get(t);
      event.centroid.set(t, (had ?? 0) + w);
      event.carriers.set(t, (event.carriers.get(t) ?? 0) + 1);
      if (had === undefined && findable) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = new Set()));
        list.add(event.key);
      }
    }
    for (const a of features.actions) event.actions.set(a, (event.actions.get(a) ?? 0) + 1);
    for (const f of features.figures) event.figures.set(f, (event.figures.get(f) ?? 0) + 1);
    if (features.analysis) event.analyses += 1;
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

  /**
   * Cosine of the story with the event as a whole: each feature weighted by the share
   * of the event's stories that carry it (a name every report gives counts fully, a
   * word one outlet chose a little) and by its rarity, in the spaces both have.
   */
  private profileSimilarity(story: StoryVector, event: IndexedEvent): number {
    let dot = 0;
    for (const [t, w] of story.terms) {
      const c = event.centroid.get(t);
      if (c === undefined) continue;
      const idf = this.idf(t);
      dot += w * idf * (c / event.inSpace[spaceOf(t)]!) * idf;
    }
    if (dot === 0) return 0;
    const profile = this.profileNorm(event);
    let mine = 0;
    let theirs = 0;
    for (let k = 0; k < SPACES; k++) {
      if (!(story.spaces & (1 << k)) || !event.inSpace[k]) continue;
      mine += story.norm[k]!;
      theirs += profile[k]!;
    }
    return dot / Math.sqrt(mine * theirs);
  }

  /** A shared money figure adds; figures that all differ, a different action, or days between take away. */
  private adjust(features: EventFeatures, time: number, event: IndexedEvent, similarity: number): number {
    let score = similarity;
    if (features.figures.size && event.figures.size) {
      if (
        [...features.figures].some(
          (f) => event.figures.has(f) || [...event.figures.keys()].some((g) => sameAmount(f, g)),
        )
      )
        score += FIGURE_BONUS;
      // Only amounts in one currency can be told apart ("A$13bn" may be "$8.5bn").
      else if ([...features.figures].some((f) => [...event.figures.keys()].some((g) => sameUnit(f, g))))
        score *= FIGURE_MISMATCH;
    }
    const n = event.members.length;
    const agreed = (a: string): boolean => (event.actions.get(a) ?? 0) * 3 >= n;
    // An event its reports tell as a party's statement ("MOFCOM announces suspension"): the same
    // statement is told as what it says will happen ("China to suspend…") or as the party
    // confirming it ("China confirms halt"), so plans and confirmations are read as what they state.
    const statement = agreed('a:announce');
    // A story is told by what its headline reports: a verb only its summary gives is often
    // background ("the controls Beijing announced on Oct. 9", "after July's tariff rise").
    const own = statement ? new Set([...features.headline].map(stated)) : features.headline;
    const mine = [...own].filter((a) => !WEAK_ACTIONS.has(a));
    const theirs = [...event.actions].filter(([a, k]) => k * 3 >= n && !WEAK_ACTIONS.has(a)).map(([a]) => a);
    // One story's verb says less of what the event is than the verb most of its reports agree on.
    if (mine.length && theirs.length && !theirs.some((a) => own.has(a)))
      score *= n === 1 ? SINGLE_ACTION_MISMATCH : ACTION_MISMATCH;
    // A reaction (a denial, a rejection) names all that it answers: it joins only other reports of the reaction.
    if ([...features.headline].some((a) => REACTIONS.has(a) && !(statement && a === 'a:confirm') && !agreed(a)))
      score *= REACTION_MISMATCH;
    // An analysis is not another report of the happening it discusses; two analyses are one
    // piece only when they are copies (nearly the same words).
    const analysisEvent = event.analyses * 2 > n;
    if (features.analysis !== analysisEvent) score *= GENRE_MISMATCH;
    else if (features.analysis) score *= ANALYSIS_COPY;
    // Days from the event's stories (their mean time, so one late straggler does not stretch it).
    const gap = Math.abs(time - event.timeSum / n) - TIME_GRACE_MS;
    if (gap > 0) score *= 0.5 ** (gap / TIME_HALF_LIFE_MS);
    return score;
  }

  /** Squared IDF-weighted norm of some terms, per space. */
  private normBySpace(terms: Map<string, number>): number[] {
    const norm = new Array<number>(SPACES).fill(0);
    for (const [t, w] of terms) {
      const v = w * this.idf(t);
      norm[spaceOf(t)]! += v * v;
    }
    return norm;
  }

  /**
   * The squared norm of an event's profile per space, kept until the event grows or
   * the IDF has drifted (the pool grew by 2%): recomputing it for every story would
   * make big events cost as much as their vocabulary.
   */
  private profileNorm(event: IndexedEvent): number[] {
    const n = event.members.length;
    const cached = event.norm;
    if (cached && cached.size === n && Math.abs(cached.docs - this.docs) <= this.docs * 0.02) return cached.value;
    const value = new Array<number>(SPACES).fill(0);
    for (const [t, c] of event.centroid) {
      const k = spaceOf(t);
      const v = (c / event.inSpace[k]!) * this.idf(t);
      value[k]! += v * v;
    }
    event.norm = { size: n, docs: this.docs, value };
    return value;
  }

  /** Cosine with the most similar of the event's newest members (an event mixes wordings and languages). */
  private memberSimilarity(story: StoryVector, event: IndexedEvent): number {
    let best = 0;
    for (const m of event.members.slice(-MEMBERS_COMPARED)) {
      let dot = 0;
      for (const [t, w] of story.terms) {
        const v = m.terms.get(t);
        if (v === undefined) continue;
        const idf = this.idf(t);
        dot += w * idf * v * idf;
      }
      if (dot === 0) continue;
      if (!m.norm || Math.abs(m.norm.docs - this.docs) > this.docs * 0.02)
        m.norm = { docs: this.docs, value: this.normBySpace(m.terms) };
      const both = story.spaces & m.spaces;
      let mine = 0;
      let theirs = 0;
      for (let k = 0; k < SPACES; k++) {
        if (!(both & (1 << k))) continue;
        mine += story.norm[k]!;
        theirs += m.norm.value[k]!;
      }
      best = Math.max(best, dot / Math.sqrt(mine * theirs));
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

// Rough value of a unit in US dollars: a Japanese report gives "80兆円" where an English one
// gives "$550 billion". Rates drift, so amounts match within AMOUNT_TOLERANCE only.
const IN_USD: Record<string, number> = {
  usd: 1,
  jpy: 1 / 150,
  eur: 1.1,
  gbp: 1.3,
  aud: 0.65,
  cad: 0.72,
  hkd: 0.128,
  sgd: 0.76,
};
const AMOUNT_TOLERANCE = 0.15;

/** One amount in two currencies ("f:jpy:8e13" and "f:usd:5.5e11"), about: the same money told in other units. */
function sameAmount(a: string, b: string): boolean {
  const [, ua, va] = a.split(':');
  const [, ub, vb] = b.split(':');
  if (ua === ub || !IN_USD[ua!] || !IN_USD[ub!]) return false;
  const x = Number(va) * IN_USD[ua!]!;
  const y = Number(vb) * IN_USD[ub!]!;
  return Math.abs(x - y) <= AMOUNT_TOLERANCE * Math.max(x, y);
}

/** "f:usd:1e10" and "f:usd:8e10" are in one unit; "f:aud:1.3e10" is not. */
function sameUnit(a: string, b: string): boolean {
  return a.slice(0, a.lastIndexOf(':')) === b.slice(0, b.lastIndexOf(':'));
}

/** A story as the index compares it. */
interface StoryVector {
  terms: Map<string, number>;
  spaces: number;
  norm: number[];
}

/** An action as a statement tells it: "to suspend" and "confirms" state what the announcement does. */
function stated(action: string): string {
  return action === 'a:confirm' ? 'a:announce' : action.replace(/-planned$/, '');
}

function growthPenalty(size: number): number {
  return size < GROWTH_FROM ? 0 : 0.05 * Math.log2(size / GROWTH_FROM + 1);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** "c:toyota" → "toyota", "f:usd:1e10" → "usd 1e10", "j:造船" → "造船". */
function readable(term: string): string {
  return term.replace(/^[wcjks]:/, '').replace(/^f:([a-z]+):/, '$1 ');
}
