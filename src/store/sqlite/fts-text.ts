/**
 * Text for the FTS5 index and queries against it. SQLite's unicode61 tokenizer
 * splits on spaces and punctuation, so a Japanese sentence (no spaces) would be
 * one huge token and "レアアース" would never match inside it. We cut runs of
 * CJK characters into overlapping bigrams on both sides (index and query), the
 * classic approach for CJK full-text search; other text is left to unicode61.
 * Queries are rebuilt from their words only, so no user text reaches FTS5's
 * query syntax (quotes, AND/OR/NOT, *, NEAR, parentheses, column filters).
 */

// A run of CJK letters (punctuation such as 、。「」 shares the scripts but separates words).
const CJK_RUN =
  /(?:(?=\p{L})[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}])+/gu;
const CJK_ONE =
  /^(?=\p{L})[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}]$/u;
// Every CJK letter lies at or above U+1100: text without such code points skips the regex work (most English feeds).
const MAYBE_CJK = /[\u1100-\uffff]/;
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_QUERY_TERMS = 32;

function isCjk(ch: string): boolean {
  return CJK_ONE.test(ch);
}

/** Splits text into alternating non-CJK chunks and CJK runs, in order. */
function chunks(text: string): { cjk: boolean; text: string }[] {
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

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Index form: CJK runs become bigrams plus the run's last character alone, so
 * every character starts some token and a one-character query ("米") can match
 * as a prefix.
 */
export function indexText(text: string): string {
  return chunks(text.normalize('NFKC'))
    .map((c) =>
      c.cjk ? [...bigrams(c.text), ...([...c.text].length > 1 ? [[...c.text].at(-1)!] : [])].join(' ') : c.text,
    )
    .join(' ');
}

/** The tokens of one query term, in order (CJK as bigrams, the rest as words). */
function termTokens(term: string): string[] {
  const tokens: string[] = [];
  for (const c of chunks(term)) {
    if (c.cjk) tokens.push(...bigrams(c.text));
    else tokens.push(...(c.text.match(WORD) ?? []));
  }
  return tokens;
}

/**
 * Turns what a person typed into a safe FTS5 query: each whitespace-separated
 * term becomes a quoted phrase of its tokens (all terms must match). Returns
 * null when nothing searchable is left ("*", '"', "()").
 */
export function toMatchQuery(userQuery: string): string | null {
  const phrases: string[] = [];
  for (const term of userQuery.normalize('NFKC').split(/\s+/)) {
    const tokens = termTokens(term);
    if (tokens.length === 0) continue;
    // Tokens hold letters and digits only, so quoting them needs no escaping.
    const single = tokens.length === 1 && [...tokens[0]!].length === 1 && isCjk(tokens[0]!);
    phrases.push(single ? `"${tokens[0]}"*` : `"${tokens.join(' ')}"`);
    if (phrases.length >= MAX_QUERY_TERMS) break;
  }
  return phrases.length ? phrases.join(' ') : null;
}
