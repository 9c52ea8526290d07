/**
 * Text cut for full-text search, shared by the engines. Word-splitting search
 * engines (SQLite's unicode61, PostgreSQL's default parser) would keep a Japanese
 * sentence (no spaces) as one huge token, so "レアアース" would never match inside
 * it. We cut runs of CJK characters into overlapping bigrams on both sides (index
 * and query), the classic approach for CJK full-text search; other text is left
 * to the engine's tokenizer. Each engine turns queryTerms() into its own query
 * syntax, so no user text ever reaches it as syntax.
 */

// A run of CJK letters (punctuation such as 、。「」 shares the scripts but separates words).
const CJK_RUN =
  /(?:(?=\p{L})[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}])+/gu;
const CJK_ONE =
  /^(?=\p{L})[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}]$/u;
// Every CJK letter lies at or above U+1100: text without such code points skips the regex work (most English feeds).
const MAYBE_CJK = /[\u1100-\uffff]/;
const WORD = /[\p{L}\p{N}]+/gu;
/** Terms beyond this are ignored: a pasted paragraph must not become a query of hundreds of phrases. */
export const MAX_QUERY_TERMS = 32;

export function isCjk(ch: string): boolean {
  return CJK_ONE.test(ch);
}

/** Splits text into alternating non-CJK chunks and CJK runs, in order. */
export function chunks(text: string): { cjk: boolean; text: string }[] {
  if (!MAYBE_CJK.test(text)) return [{ cjk: false, text }];
  const out: { cjk: boolean; text: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(CJK_RUN)) {
    if (m.index > last) out.push({ cjk: false, text: text.slice(last, m.index) });
    out.push({ cjk: true, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ cjk: false, text: text.slice(last) });
  return out;
}

export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * The index form of a CJK run: its bigrams plus its last character alone, so
 * every character starts some token and a one-character query ("米") can match
 * as a prefix.
 */
export function cjkIndexTokens(run: string): string[] {
  return [...bigrams(run), ...([...run].length > 1 ? [[...run].at(-1)!] : [])];
}

/** The words of non-CJK text: letters and digits, split at anything else (as both engines' tokenizers do). */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The tokens of one query term, in order (CJK as bigrams, the rest as words). */
function termTokens(term: string): string[] {
  const tokens: string[] = [];
  for (const c of chunks(term)) {
    if (c.cjk) tokens.push(...bigrams(c.text));
    else tokens.push(...words(c.text));
  }
  return tokens;
}

/**
 * What a person typed, as search terms: each whitespace-separated term becomes
 * its tokens, to be matched as a phrase; all terms must match. A term that is a
 * single CJK character is marked as a prefix (it matches any bigram it starts).
 * Empty when nothing searchable is left ("*", '"', "()").
 */
export function queryTerms(userQuery: string): { tokens: string[]; prefix: boolean }[] {
  const terms: { tokens: string[]; prefix: boolean }[] = [];
  for (const term of userQuery.normalize('NFKC').split(/\s+/)) {
    const tokens = termTokens(term);
    if (tokens.length === 0) continue;
    const prefix = tokens.length === 1 && [...tokens[0]!].length === 1 && isCjk(tokens[0]!);
    terms.push({ tokens, prefix });
    if (terms.length >= MAX_QUERY_TERMS) break;
  }
  return terms;
}
