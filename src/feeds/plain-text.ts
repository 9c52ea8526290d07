import { decodeHtmlEntities } from './html-entities.js';

/**
 * Feed titles and summaries as plain text for chat messages: markup removed,
 * entities decoded, whitespace folded. Regex-based on purpose: the result is only
 * ever shown as text (renderers escape it for each platform), never as HTML, so
 * a missed corner of HTML syntax costs a stray character, not safety.
 */

// One pass over the markup: blocks whose content is not text (scripts, styles,
// comments), tags, and CDATA markers left in escaped HTML.
const MARKUP =
  /<(script|style|noscript|template|iframe|object|svg|math)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[|\]\]>|<\/?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|<[!?][^<>]*>/gi;
// Tags that separate words when removed (block elements, line breaks, cells).
const BREAKING = new Set(
  'p div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr td th section article header footer figure figcaption img'.split(
    ' ',
  ),
);

function replaceMarkup(_match: string, block: string | undefined, tag: string | undefined): string {
  if (block) return ' ';
  return tag && !BREAKING.has(tag.toLowerCase()) ? '' : ' ';
}

/** Collapses every run of whitespace (NBSP, zero-width and control characters included) to one space. */
// A run of two or more, or a single character other than a plain space: a lone " "
// already is what folding gives, so it is not matched (nor copied) at all.
// Folding C0 controls is the point; CONTROL_CLASS (untrusted-text.ts) is another set.
const FOLDABLE =
  // eslint-disable-next-line no-control-regex
  /[\s\u0000-\u001f\u007f\u00a0\u200b-\u200d\u2028\u2029\ufeff\ufffe\uffff]{2,}|(?! )[\s\u0000-\u001f\u007f\u00a0\u200b-\u200d\u2028\u2029\ufeff\ufffe\uffff]/g;

export function foldWhitespace(text: string): string {
  return text.replace(FOLDABLE, ' ').trim();
}

/** HTML → plain text. */
export function htmlToText(html: string): string {
  let s = html;
  if (s.includes('<') || s.includes(']]>')) {
    s = s.replace(MARKUP, replaceMarkup);
    // An unterminated tag at the end (a truncated summary) is not text either.
    s = s.replace(/<\/?[A-Za-z][^>]*$/, '');
  }
  return foldWhitespace(decodeHtmlEntities(s));
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
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  let end = cut.length;
  while (end > 0 && DANGLING.test(cut[end - 1]!)) end--;
  return cut.slice(0, end) + '…';
}

const DANGLING = /^[\s,;:–—-]$/;
