import type { Brief } from '../briefs/schema.js';
import { MATCH_LISTS } from '../briefs/schema.js';
import { prepareText, TermIndex, type PreparedText } from './term-index.js';

/**
 * The matching profiles of all briefs compiled into one term index. A story is
 * scanned once, whatever the number of briefs or terms; each term hit sets
 * "slots" (a brief's own term, or a brief's group), and only the entries that
 * use a touched slot are evaluated.
 */

export type MatchList = (typeof MATCH_LISTS)[number];
/** Where an entry fired: every part in the title, some in the title, or only in the summary. */
export type Where = 'title' | 'mixed' | 'summary';

interface CompiledEntry {
  brief: number;
  list: MatchList;
  /** The entry as the admin wrote it. */
  text: string;
  slots: number[];
}

export interface CompiledBrief {
  id: string;
  title: string;
  /** YYYY-MM(-DD) before which stories are not tied to the brief. */
  since: string | null;
  /** ISO date; `about` entries do not tie stories published after it. */
  until: string | null;
}

/** One entry of a profile that fired on a story, with the words that made it fire. */
export interface FiredEntry {
  brief: number;
  list: MatchList;
  text: string;
  where: Where;
  /** The matched term of each part, as written in the profile. */
  matched: string[];
}

const TITLE = 1;
const SUMMARY = 2;

export class CompiledProfiles {
  readonly index = new TermIndex();
  readonly briefs: CompiledBrief[] = [];
  private readonly entries: CompiledEntry[] = [];
  private readonly termSlots: number[][] = [];
  private readonly slotEntries: number[][] = [];
  // Per-story scratch space, reused: the matcher is synchronous.
  private slotMask = new Uint8Array(0);
  private slotTerm = new Int32Array(0);
  private entryStamp = new Uint32Array(0);
  private stamp = 0;

  constructor(briefs: readonly Brief[]) {
    briefs.forEach((brief, b) => this.addBrief(brief, b));
    this.slotMask = new Uint8Array(this.slotEntries.length);
    this.slotTerm = new Int32Array(this.slotEntries.length).fill(-1);
    this.entryStamp = new Uint32Array(this.entries.length);
  }

  /** Number of distinct terms across all profiles. */
  get termCount(): number {
    return this.index.size;
  }

  /**
   * Every profile entry that fires on the story, all briefs at once, and the
   * terms seen (so a reason can say which parts of an entry were missing).
   */
  evaluate(title: PreparedText | string, summary: PreparedText | string = ''): { fired: FiredEntry[]; seen: string[] } {
    const t = typeof title === 'string' ? prepareText(title) : title;
    const s = typeof summary === 'string' ? prepareText(summary) : summary;
    const touched: number[] = [];
    let bit = TITLE;
    const mark = (id: number) => {
      const slots = this.termSlots[id];
      if (!slots) return;
      for (const slot of slots) {
        const m = this.slotMask[slot]!;
        if (m === 0) touched.push(slot);
        // Keep the term seen first in the title: it is the one a reader sees.
        if ((m & bit) === 0 && (this.slotTerm[slot] === -1 || bit === TITLE)) this.slotTerm[slot] = id;
        this.slotMask[slot] = m | bit;
      }
    };
    this.index.scan(t, mark);
    bit = SUMMARY;
    if (s.normalized) this.index.scan(s, mark);

    const fired: FiredEntry[] = [];
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    for (const slot of touched) {
      for (const e of this.slotEntries[slot]!) {
        if (this.entryStamp[e] === this.stamp) continue;
        this.entryStamp[e] = this.stamp;
        const entry = this.entries[e]!;
        let inTitle = 0;
        let missing = false;
        for (const sl of entry.slots) {
          const m = this.slotMask[sl]!;
          if (m === 0) {
            missing = true;
            break;
          }
          if (m & TITLE) inTitle++;
        }
        if (missing) continue;
        const where: Where = inTitle === entry.slots.length ? 'title' : inTitle > 0 ? 'mixed' : 'summary';
        fired.push({
          brief: entry.brief,
          list: entry.list,
          text: entry.text,
          where,
          matched: entry.slots.map((sl) => this.index.display[this.slotTerm[sl]!]!),
        });
      }
    }
    const seen = new Set<string>();
    for (const slot of touched) {
      seen.add(this.index.display[this.slotTerm[slot]!]!);
      this.slotMask[slot] = 0;
      this.slotTerm[slot] = -1;
    }
    return { fired, seen: [...seen] };
  }

  private addBrief(brief: Brief, b: number): void {
    const profile = brief.matching;
    this.briefs.push({ id: brief.id, title: brief.title, since: profile.since ?? null, until: profile.until ?? null });
    const termSlot = new Map<number, number>();
    const groupSlot = new Map<string, number>();
    const slotFor = (part: string): number | null => {
      if (part.startsWith('@')) {
        const name = part.slice(1);
        let slot = groupSlot.get(name);
        if (slot === undefined) {
          slot = this.newSlot();
          groupSlot.set(name, slot);
          for (const term of profile.groups[name] ?? []) this.link(term, slot);
        }
        return slot;
      }
      const id = this.index.add(part);
      if (id === null) return null;
      let slot = termSlot.get(id);
      if (slot === undefined) {
        slot = this.newSlot();
        termSlot.set(id, slot);
        this.link(part, slot);
      }
      return slot;
    };
    for (const list of MATCH_LISTS) {
      const seen = new Set<string>();
      for (const text of profile[list]) {
        const slots = text.split(/\s\+\s/).map((p) => slotFor(p.trim()));
        if (slots.some((s) => s === null)) continue;
        const unique = [...new Set(slots as number[])];
        // "rare earth" and "rare earths" are one entry once stemmed: count it once.
        const key = unique
          .slice()
          .sort((x, y) => x - y)
          .join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        const e = this.entries.length;
        this.entries.push({ brief: b, list, text, slots: unique });
        for (const slot of unique) this.slotEntries[slot]!.push(e);
      }
    }
  }

  private newSlot(): number {
    this.slotEntries.push([]);
    return this.slotEntries.length - 1;
  }

  private link(term: string, slot: number): void {
    const id = this.index.add(term);
    if (id === null) return;
    (this.termSlots[id] ??= []).push(slot);
  }
}
