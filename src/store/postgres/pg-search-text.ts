import { chunks, cjkIndexTokens, isCjk, queryTerms, words } from '../search-text.js';

/**
 * Text for PostgreSQL's full-text search, cut as SQLite's is (../search-text.ts):
 * CJK runs as bigrams, other text as words of letters and digits. PostgreSQL's
 * parser is handed only plain words separated by spaces, so its own token types
 * (file paths for "U.S.", e-mail addresses, URLs) never make the two engines
 * disagree. Diacritics are dropped outside CJK, as SQLite's remove_diacritics does.
 */

/** Latin and other scripts: café → cafe. CJK is left alone (its kana marks are letters' parts). */
function withoutDiacritics(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Index form of a title or summary. */
export function pgIndexText(text: string): string {
  return chunks(text.normalize('NFKC'))
    .map((c) => (c.cjk ? cjkIndexTokens(c.text) : words(withoutDiacritics(c.text))).join(' '))
    .join(' ');
}

/**
 * What a person typed as a to_tsquery string: each term a phrase of its tokens
 * (a <-> b), all terms required (&), a lone CJK character as a prefix (米:*).
 * Tokens hold letters and digits only, so nothing typed becomes query syntax.
 * Null when nothing searchable is left.
 */
export function pgTsQuery(userQuery: string): string | null {
  const terms: string[] = [];
  for (const t of queryTerms(userQuery)) {
    if (t.prefix) {
      terms.push(`${t.tokens[0]}:*`);
      continue;
    }
    const tokens = t.tokens.flatMap((token) => ([...token].some(isCjk) ? [token] : words(withoutDiacritics(token))));
    if (tokens.length) terms.push(`(${tokens.join(' <-> ')})`);
  }
  return terms.length ? terms.join(' & ') : null;
}
