import { decodeHtmlEntities } from './html-entities.js';

/**
 * Feed titles and summaries as plain text for chat messages: markup removed,
 * entities decoded, whitespace folded. Regex-based on purpose: the result is only
 * ever shown as text (renderers escape it for each platform), never as HTML, so
 * a missed corner of HTML syntax costs a stray character, not safety.
 */

const DROPPED_BLOCKS = /<(script|style|noscript|template|iframe|object|svg|math)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[|\]\]>/gi;
// Tags that separate words when removed (block elements, line breaks, cells).
const BREAKING_TAG = /<\/?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|td|th|section|article|header|footer|figure|figcaption|img)\b[^>]*>/gi;
const ANY_TAG = /<\/?[A-Za-z][^>]*>|<![^>]*>|<\?[^>]*>/g;

/** Collapses every run of whitespace (NBSP and zero-width characters included) to one space. */
export function foldWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b-\u200d\u2028\u2029\ufeff]+/g, ' ').trim();
}

/** HTML → plain text. */
export function htmlToText(html: string): string {
  let s = html;
  if (s.includes('<')) {
    s = s.replace(DROPPED_BLOCKS, ' ').replace(BREAKING_TAG, ' ').replace(ANY_TAG, '');
    // An unterminated tag at the end (a truncated summary) is not text either.
    s = s.replace(/<\/?[A-Za-z][^>]*$/, '');
  }
  return foldWhitespace(decodeHtmlEntities(s));
}

/** Text that is already plain: only whitespace folded. */
export function plainText(text: string): string {
  return foldWhitespace(text);
}

/**
 * Cuts text to at most `max` characters at a word boundary, adding "…" when it
 * cut. A single word longer than the limit (a URL, CJK text without spaces) is
 * cut where it must be.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1;
  let cut = text.slice(0, room);
  const space = cut.lastIndexOf(' ');
  if (space >= room * 0.6) cut = cut.slice(0, space);
  // Do not leave half a surrogate pair or a dangling punctuation mark.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.replace(/[\s,;:–—-]+$/, '') + '…';
}
