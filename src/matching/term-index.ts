import { hasCjk, isAcronym, normalizeText, tokenize, type Token } from './normalize-text.js';

/**
 * Every term of every brief, compiled once into two lookups so that scanning a
 * story costs about the same with 10 terms or 10,000:
 * - words of spaced scripts: a hash from a phrase's first word to the phrases
 *   starting with it, checked against the following words;
 * - terms containing CJK: a hash from their first two characters, checked at each
 *   position of text that contains CJK at all.
 * Terms are deduplicated by their normalized form; callers attach their own
 * meaning to the term ids.
 */

interface PhraseTerm {
  id: number;
  /** Keys of the words after the first. */
  rest: string[];
  /** Per word (first included): whether it must be an all-caps acronym. */
  caps: boolean[];
}

interface CjkTerm {
  id: number;
  text: string;
}

/** Told of a term found in a text: which one, and where (offsets in the normalized text). */
export type OnHit = (id: number, start: number, end: number) => void;

/** A text prepared once for scanning (and reused by several lookups). */
export interface PreparedText {
  normalized: string;
  lower: string;
  tokens: Token[];
  cjk: boolean;
}

export function prepareText(raw: string): PreparedText {
  const normalized = normalizeText(raw);
  const lower = normalized.toLowerCase();
  // Lower-casing changes the length of a few characters (İ): then tokenize on its own.
  const sameLength = lower.length === normalized.length;
  return {
    normalized,
    lower,
    tokens: sameLength ? tokenize(normalized, lower) : tokenize(normalized),
    cjk: hasCjk(normalized),
  };
}

export class TermIndex {
  private readonly phrases = new Map<string, PhraseTerm[]>();
  private readonly cjkByPair = new Map<number, CjkTerm[]>();
  private readonly cjkSingle = new Map<number, CjkTerm[]>();
  /** 1 for each UTF-16 unit that starts some CJK-scanned term: most positions are skipped with one array read. */
  private readonly cjkStarts = new Uint8Array(65536);
  private readonly idsByKey = new Map<string, number>();
  /** The term as first written, for reasons shown to people. */
  readonly display: string[] = [];

  /** Adds a term (or finds it) and returns its id; null when it has no words at all (e.g. only punctuation). */
  add(term: string): number | null {
    const normalized = normalizeText(term);
    if (hasCjk(normalized)) {
      const text = normalized.toLowerCase().replace(/\s+/g, '');
      return this.intern(`cjk:${text}`, term, (id) => {
        const entry = { id, text };
        this.cjkStarts[text.charCodeAt(0)] = 1;
        if (text.length === 1) push(this.cjkSingle, text.charCodeAt(0), entry);
        else push(this.cjkByPair, pairKey(text, 0), entry);
      });
    }
    const words = tokenize(normalized);
    if (words.length === 0) return null;
    const caps = words.map((w) => isAcronym(normalized.slice(w.start, w.end)));
    const keys = words.map((w) => w.key);
    const signature = `w:${keys.map((k, i) => (caps[i] ? k.toUpperCase() : k)).join(' ')}`;
    return this.intern(signature, term, (id) => push(this.phrases, keys[0]!, { id, rest: keys.slice(1), caps }));
  }

  /** Calls onHit for every occurrence of every known term in the text. */
  scan(text: PreparedText, onHit: OnHit): void {
    const { tokens } = text;
    const phrases = this.phrases;
    if (phrases.size === 0 && !text.cjk) return;
    for (let i = 0; i < tokens.length; i++) {
      const candidates = phrases.get(tokens[i]!.key);
      if (!candidates) continue;
      for (const phrase of candidates) {
        if (phraseAt(tokens, i, phrase)) {
          onHit(phrase.id, tokens[i]!.start, tokens[i + phrase.rest.length]!.end);
        }
      }
    }
    if (!text.cjk || (this.cjkByPair.size === 0 && this.cjkSingle.size === 0)) return;
    const s = text.lower;
    for (let i = 0; i < s.length; i++) {
      if (this.cjkStarts[s.charCodeAt(i)] === 0) continue;
      const single = this.cjkSingle.get(s.charCodeAt(i));
      if (single) for (const t of single) onHit(t.id, i, i + 1);
      if (i + 1 >= s.length) continue;
      const candidates = this.cjkByPair.get(pairKey(s, i));
      if (!candidates) continue;
      for (const t of candidates) {
        if (s.startsWith(t.text, i)) onHit(t.id, i, i + t.text.length);
      }
    }
  }

  get size(): number {
    return this.display.length;
  }

  private intern(key: string, display: string, register: (id: number) => void): number {
    const known = this.idsByKey.get(key);
    if (known !== undefined) return known;
    const id = this.display.length;
    this.display.push(display);
    this.idsByKey.set(key, id);
    register(id);
    return id;
  }
}

function phraseAt(tokens: Token[], i: number, phrase: PhraseTerm): boolean {
  if (phrase.caps[0] && !tokens[i]!.caps) return false;
  const { rest } = phrase;
  if (i + rest.length >= tokens.length) return false;
  for (let j = 0; j < rest.length; j++) {
    const t = tokens[i + 1 + j]!;
    if (t.key !== rest[j] || (phrase.caps[j + 1] && !t.caps)) return false;
  }
  return true;
}

function pairKey(s: string, i: number): number {
  return s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
