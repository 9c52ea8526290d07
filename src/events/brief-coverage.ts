import { eventFeatures, TITLE_WEIGHT, type FeatureInput } from './event-features.js';

/**
 * Whether a brief already reports an event: the event's stories are compared
 * with each entry of the brief (a fact, a provision, a timeline item…). What
 * counts is the share of an entry's distinctive content the event carries: its
 * names, figures, action and telling words, each weighted by how rare it is
 * among the brief's own entries (every entry of a US–Japan brief says "Japan",
 * so "Japan" proves nothing; "shipbuilding" or "$550 billion" does). An entry's
 * plain words count less than what it names, and an event is what its outlets agree on
 * (see entriesFor). Pure: it
 * knows entries as text, not the brief format.
 */

export interface CoverageEntry {
  /** Where the entry is, for people: "timeline: 2025-10-28". */
  ref: string;
  text: string;
}

export interface EntryMatch {
  entry: CoverageEntry;
  /**
   * The smaller of: the share of the entry's weighted content the event carries, and the
   * share of the event's (each term weighted by how many of its stories say it) the entry carries.
   */
  score: number;
  shared: string[];
}

/** From this share of an entry's content an event reports it. */
const COVERED_FROM = 0.3;
/** And it must share at least this many distinctive features (one shared name is chance). */
const MIN_SHARED = 2;

export interface CoverageOptions {
  /**
   * What the brief's whole story is about (its title): the parties, the place, the kind
   * of deal. Every development of the story names them, so they tell no development
   * from another and count little.
   */
  topic?: string;
}

/** The share of its weight a topic term keeps. */
const TOPIC_WEIGHT = 0.2;
/**
 * The share of its weight a plain word of an entry keeps. An entry is the brief writer's
 * sentence: what it reports is in what it names (people, places, organisations, figures,
 * the action), which outlets repeat in their own words and a Japanese story writes in its
 * own script; its plain words ("at its core", "tied to", "once") are the writer's wording,
 * which no report is bound to share and a Japanese one cannot. Any share from 0 to a
 * quarter judges the labelled set alike (tests/events); half loses two analyses.
 */
const ENTRY_WORD_WEIGHT = 0.25;
// Meeting and agreeing say how, not what: they never make an entry report another happening.
const WEAK_ACTIONS = new Set(['a:meet', 'a:agree']);

export class BriefCoverage {
  private readonly entries: { entry: CoverageEntry; terms: Set<string>; actions: string[] }[];
  private readonly df = new Map<string, number>();
  private readonly topic: Set<string>;

  constructor(entries: readonly CoverageEntry[], options: CoverageOptions = {}) {
    this.topic = new Set(options.topic ? eventFeatures({ title: options.topic }).terms.keys() : []);
    this.entries = entries.map((entry) => {
      const f = eventFeatures({ title: entry.text });
      // Character pairs say little across an English entry and a Japanese story.
      const terms = new Set([...f.terms.keys()].filter((t) => !t.startsWith('j:')));
      for (const t of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { entry, terms, actions: [...f.actions].filter((a) => !WEAK_ACTIONS.has(a)) };
    });
  }

  /** How much a term tells which entry (and which development) it is: rare among the entries, not the story's topic. */
  private weight(term: string): number {
    return this.rarity(term) * (this.topic.has(term) ? TOPIC_WEIGHT : 1);
  }

  /** A term's weight in an entry's content: its plain words are wording (see ENTRY_WORD_WEIGHT). */
  private entryWeight(term: string): number {
    return this.weight(term) * (isPlainWord(term) ? ENTRY_WORD_WEIGHT : 1);
  }

  private rarity(term: string): number {
    return Math.log(1 + this.entries.length / (this.df.get(term) ?? 1));
  }

  /** The entries the event's stories report, best first; none when the brief does not cover it. */
  entriesFor(stories: readonly FeatureInput[]): EntryMatch[] {
    // What most of the event's stories say: a word one outlet used is not the event.
    const counts = new Map<string, number>();
    const inTitle = new Set<string>();
    const actionCounts = new Map<string, number>();
    let analyses = 0;
    for (const s of stories) {
      const f = eventFeatures(s);
      if (f.analysis) analyses++;
      for (const [t, w] of f.terms) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        if (w >= TITLE_WEIGHT) inTitle.add(t);
      }
      for (const a of f.actions) actionCounts.set(a, (actionCounts.get(a) ?? 0) + 1);
    }
    const min = Math.max(1, Math.ceil(stories.length / 4));
    // Each term the event says, with the share of its stories that say it. A detail only one
    // outlet's summary gives (the gainers it names, the index it adds) is that outlet's, not the
    // event's; a headline's words are what that outlet says happened.
    const event = new Map(
      [...counts]
        .filter(([t, n]) => n >= min && (n > 1 || stories.length === 1 || inTitle.has(t)) && !t.startsWith('j:'))
        .map(([t, n]) => [t, n / stories.length]),
    );
    // What the event's stories report doing (signs, denies, names…), when a third of them say it.
    const eventActions = new Set(
      [...actionCounts].filter(([a, n]) => n * 3 >= stories.length && !WEAK_ACTIONS.has(a)).map(([a]) => a),
    );
    // An analysis discusses a happening; its own words ("long on ambition", "sceptical") are
    // its argument, not a development, so what it is about is what it names.
    const analysis = analyses * 2 > stories.length;
    const eventWeight = (t: string) => (analysis && isPlainWord(t) ? 0 : this.weight(t));
    let eventTotal = 0;
    for (const [t, share] of event) eventTotal += share * eventWeight(t);
    const out: EntryMatch[] = [];
    for (const { entry, terms, actions } of this.entries) {
      // An entry that reports another action reports another happening ("signed" is not "arrived").
      if (actions.length && eventActions.size && !actions.some((a) => eventActions.has(a))) continue;
      let total = 0;
      let got = 0;
      let gotOfEvent = 0;
      const shared: string[] = [];
      let telling = false;
      for (const t of terms) {
        const w = this.weight(t);
        total += this.entryWeight(t);
        const share = event.get(t);
        if (share !== undefined) {
          got += this.entryWeight(t);
          gotOfEvent += share * eventWeight(t);
          if (this.rarity(t) > Math.log(2)) shared.push(t.replace(/^[a-z]:/, ''));
          if (w > Math.log(2)) telling = true;
        }
      }
      // Both ways: the entry's content is in the event, and the event's is in the entry
      // (a short timeline line "they signed in Tokyo" does not cover Toyota's $10bn answer).
      // And beyond the story's topic: naming Trump, Takaichi and Tokyo covers no development.
      const ofEntry = total ? got / total : 0;
      const ofEvent = eventTotal ? gotOfEvent / eventTotal : 0;
      const score = Math.min(ofEntry, ofEvent);
      if (score >= COVERED_FROM && shared.length >= MIN_SHARED && telling)
        out.push({ entry, score: Math.round(score * 100) / 100, shared });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

/** A plain word ("w:…"), as against a name, figure, span or action the term tables or patterns recognise. */
function isPlainWord(term: string): boolean {
  return term.startsWith('w:');
}
