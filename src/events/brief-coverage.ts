import { eventFeatures, type FeatureInput } from './event-features.js';

/**
 * Whether a brief already reports an event: the event's stories are compared
 * with each entry of the brief (a fact, a provision, a timeline item…). What
 * counts is the share of an entry's distinctive content the event carries: its
 * names, figures, action and telling words, each weighted by how rare it is
 * among the brief's own entries (every entry of a US–Japan brief says "Japan",
 * so "Japan" proves nothing; "shipbuilding" or "$550 billion" does). Pure: it
 * knows entries as text, not the brief format.
 */

export interface CoverageEntry {
  /** Where the entry is, for people: "timeline: 2025-10-28". */
  ref: string;
  text: string;
}

export interface EntryMatch {
  entry: CoverageEntry;
  /** The smaller of: the share of the entry's weighted content the event carries, and of the event's the entry carries. */
  score: number;
  shared: string[];
}

/** From this share of an entry's content an event reports it. */
const COVERED_FROM = 0.3;
/** And it must share at least this many distinctive features (one shared name is chance). */
const MIN_SHARED = 2;

export class BriefCoverage {
  private readonly entries: { entry: CoverageEntry; terms: Set<string> }[];
  private readonly df = new Map<string, number>();

  constructor(entries: readonly CoverageEntry[]) {
    this.entries = entries.map((entry) => {
      const f = eventFeatures({ title: entry.text });
      // Character pairs say little across an English entry and a Japanese story.
      const terms = new Set([...f.terms.keys()].filter((t) => !t.startsWith('j:')));
      for (const t of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { entry, terms };
    });
  }

  private weight(term: string): number {
    return Math.log(1 + this.entries.length / (this.df.get(term) ?? 1));
  }

  /** The entries the event's stories report, best first; none when the brief does not cover it. */
  entriesFor(stories: readonly FeatureInput[]): EntryMatch[] {
    // What most of the event's stories say: a word one outlet used is not the event.
    const counts = new Map<string, number>();
    for (const s of stories) for (const t of eventFeatures(s).terms.keys()) counts.set(t, (counts.get(t) ?? 0) + 1);
    const min = Math.max(1, Math.ceil(stories.length / 4));
    const event = new Set([...counts].filter(([t, n]) => n >= min && !t.startsWith('j:')).map(([t]) => t));
    let eventTotal = 0;
    for (const t of event) eventTotal += this.weight(t);
    const out: EntryMatch[] = [];
    for (const { entry, terms } of this.entries) {
      let total = 0;
      let got = 0;
      const shared: string[] = [];
      for (const t of terms) {
        const w = this.weight(t);
        total += w;
        if (event.has(t)) {
          got += w;
          if (w > Math.log(2)) shared.push(t.replace(/^[a-z]:/, ''));
        }
      }
      // Both ways: the entry's content is in the event, and the event's is in the entry
      // (a short timeline line "they signed in Tokyo" does not cover Toyota's $10bn answer).
      const score = total && eventTotal ? Math.min(got / total, got / eventTotal) : 0;
      if (score >= COVERED_FROM && shared.length >= MIN_SHARED)
        out.push({ entry, score: Math.round(score * 100) / 100, shared });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}
