/**
 * Text for the FTS5 index and queries against it. CJK runs are cut into bigrams
 * (see ../search-text.ts); other text is left to unicode61. Queries are rebuilt
 * from their words only, so no user text reaches FTS5's query syntax (quotes,
 * AND/OR/NOT, *, NEAR, parentheses, column filters).
 */
import { chunks, cjkIndexTokens, queryTerms } from '../search-text.js';

/** Index form: CJK runs become bigrams plus the run's last character; the rest is left to unicode61. */
export function indexText(text: string): string {
  return chunks(text.normalize('NFKC'))
    .map((c) => (c.cjk ? cjkIndexTokens(c.text).join(' ') : c.text))
    .join(' ');
}

/**
 * Turns what a person typed into a safe FTS5 query: each term becomes a quoted
 * phrase of its tokens (all terms must match). Returns null when nothing
 * searchable is left ("*", '"', "()").
 */
export function toMatchQuery(userQuery: string): string | null {
  // Tokens hold letters and digits only, so quoting them needs no escaping.
  const phrases = queryTerms(userQuery).map((t) => (t.prefix ? `"${t.tokens[0]}"*` : `"${t.tokens.join(' ')}"`));
  return phrases.length ? phrases.join(' ') : null;
}
