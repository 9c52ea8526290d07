import { hasCjk, normalizeText, tokenize } from './normalize-text.js';
import { prepareText, TermIndex } from './term-index.js';

/**
 * A reader's search words read with a brief's own term groups, so a word in one
 * language finds text written in another. A brief's `matching.groups` name concepts
 * and list their spellings in every language the feeds use (rare: [rare earth, …,
 * レアアース, 希土類]). A query word that is a term of a group also counts as found
 * when the text holds one of that group's terms in another script: "レアアース" finds
 * "rare earths", "日米" (a term of both the japan and the us groups) finds text naming
 * Japan and the US. Terms of the same script are not added: in one language a group
 * holds related words (tariff, investment), not translations.
 */

/** One part of a query: what was typed, and what else counts as it. */
export interface QueryPart {
  /** The word or phrase as typed (normalized). */
  typed: string;
  /**
   * One list per group the typed words belong to: the query's own term and the
   * group's terms in other scripts. The part is found when the typed words are, or
   * when every list has a term in the text. Empty when no group knows the words.
   */
  equivalents: string[][];
}

// Longest phrase of a spaced script looked up in the groups ("critical raw materials" is 3 words).
const MAX_PHRASE_WORDS = 5;

/** A term's comparable form: stemmed lower-case words, or CJK text without spaces. */
function termKey(term: string): string {
  const n = normalizeText(term);
  if (hasCjk(n)) return `c:${n.toLowerCase().replace(/\s+/g, '')}`;
  const words = tokenize(n).map((t) => t.key);
  return words.length ? `w:${words.join(' ')}` : '';
}

/** Splits a query into parts and finds, for each, the group terms of other scripts that count as it. */
export function queryParts(query: string, groups: Readonly<Record<string, readonly string[]>>): QueryPart[] {
  const groupsOf = new Map<string, Set<string>>();
  const cjkTerms: { key: string; term: string }[] = [];
  for (const [name, terms] of Object.entries(groups)) {
    for (const term of terms) {
      const key = termKey(term);
      if (!key) continue;
      const set = groupsOf.get(key) ?? new Set<string>();
      set.add(name);
      groupsOf.set(key, set);
      if (key.startsWith('c:')) cjkTerms.push({ key: key.slice(2), term });
    }
  }
  // Longest first, so 日米首脳 is read before 日米.
  cjkTerms.sort((a, b) => b.key.length - a.key.length);

  const equivalentsOf = (found: { term: string; groups: Iterable<string> }[]): string[][] => {
    const lists: string[][] = [];
    const seen = new Set<string>();
    for (const { term, groups: names } of found) {
      const cjk = hasCjk(normalizeText(term));
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        const others = (groups[name] ?? []).filter((t) => hasCjk(normalizeText(t)) !== cjk);
        // A group spelled in one script only adds nothing to find.
        if (others.length) lists.push([term, ...others]);
      }
    }
    return lists;
  };

  const words = normalizeText(query).split(' ').filter(Boolean);
  const parts: QueryPart[] = [];
  for (let i = 0; i < words.length;) {
    const word = words[i]!;
    if (hasCjk(word)) {
      const key = termKey(word);
      const whole = groupsOf.get(key);
      const found = whole
        ? [{ term: word, groups: whole }]
        : containedTerms(key.slice(2), cjkTerms).map((t) => ({ term: t.term, groups: groupsOf.get(`c:${t.key}`)! }));
      parts.push({ typed: word, equivalents: equivalentsOf(found) });
      i += 1;
      continue;
    }
    let taken = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1 && !taken; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      if (n > 1 && words.slice(i, i + n).some(hasCjk)) continue;
      const names = groupsOf.get(termKey(phrase));
      if (names) {
        parts.push({ typed: phrase, equivalents: equivalentsOf([{ term: phrase, groups: names }]) });
        taken = n;
      }
    }
    if (!taken) {
      if (termKey(word)) parts.push({ typed: word, equivalents: [] });
      taken = 1;
    }
    i += taken;
  }
  return parts;
}

/** The group terms written inside a CJK word, left to right, longest first, not overlapping. */
function containedTerms(
  text: string,
  terms: readonly { key: string; term: string }[],
): { key: string; term: string }[] {
  const out: { key: string; term: string }[] = [];
  for (let i = 0; i < text.length;) {
    const hit = terms.find((t) => text.startsWith(t.key, i));
    if (hit) {
      out.push(hit);
      i += hit.key.length;
    } else i += 1;
  }
  return out;
}

/**
 * Scores texts against query parts: null when a part is missing, else a score
 * where words found as typed count twice as much as their other-language equivalents.
 */
export class QueryMatcher {
  private readonly index = new TermIndex();
  /** Per term id: which part it is typed for, and which equivalent lists hold it. */
  private readonly roles = new Map<number, { part: number; list: number }[]>();

  constructor(readonly parts: readonly QueryPart[]) {
    parts.forEach((part, p) => {
      this.role(part.typed, p, -1);
      part.equivalents.forEach((list, l) => list.forEach((term) => this.role(term, p, l)));
    });
  }

  score(text: string): number | null {
    if (this.parts.length === 0) return null;
    const typed = new Array<number>(this.parts.length).fill(0);
    const other = new Array<number>(this.parts.length).fill(0);
    const listsHit = this.parts.map(() => new Set<number>());
    this.index.scan(prepareText(text), (id) => {
      for (const { part, list } of this.roles.get(id) ?? []) {
        if (list < 0) typed[part]! += 1;
        else {
          listsHit[part]!.add(list);
          other[part]! += 1;
        }
      }
    });
    let score = 0;
    for (let p = 0; p < this.parts.length; p++) {
      const lists = this.parts[p]!.equivalents.length;
      const viaEquivalents = lists > 0 && listsHit[p]!.size === lists;
      if (typed[p] === 0 && !viaEquivalents) return null;
      score += 2 * typed[p]! + (viaEquivalents ? other[p]! : 0);
    }
    return score;
  }

  private role(term: string, part: number, list: number): void {
    const id = this.index.add(term);
    if (id === null) return;
    const roles = this.roles.get(id) ?? [];
    roles.push({ part, list });
    this.roles.set(id, roles);
  }
}
