import { xmlSafeEntity } from './html-entities.js';

/**
 * Fixes what real feeds get wrong and a strict XML parser refuses, before
 * parsing, without changing what a correct feed means:
 *  - the DOCTYPE (internal subset included) goes, so no entity is ever expanded
 *    from it: no "billion laughs", no external entity reading a file or URL. A
 *    reference to an entity it declared is kept as literal text ("&foo;").
 *  - HTML named entities (&nbsp;, &eacute;, &hellip; …), which XML does not know
 *    without a DTD, become numeric references;
 *  - a bare "&" (AT&T, ?a=1&b=2) becomes "&amp;";
 *  - numeric references to characters XML forbids (&#0;, &#x1B;) are dropped.
 * CDATA sections and comments are left alone: entities mean nothing there. (Raw
 * control characters need nothing: sax accepts them, and plain-text.ts folds them.)
 * Each fix is skipped when a cheap scan shows it is not needed, as for most feeds.
 */
export function cleanXml(text: string, options: { thorough?: boolean } = {}): string {
  let out = stripDoctype(text);
  if ((options.thorough ? ANY_REFERENCE_FIX : LIKELY_REFERENCE_FIX).test(out))
    out = out.replace(AMPERSANDS, fixReference);
  return out;
}

// Any "&" that does not start one of XML's five entities.
const ANY_REFERENCE_FIX = /&(?!(?:amp|lt|gt|quot|apos);)/;
// The same, also letting through numeric references in the usual ranges (32–99999,
// 0x20–0xFFFFF, leading zeros allowed) without checking each one: the few invalid
// ones among those (surrogates, U+FFFE/F) make the parse fail, and parseFeed then
// cleans thoroughly.
const LIKELY_REFERENCE_FIX =
  /&(?!(?:amp|lt|gt|quot|apos|#0*(?:3[2-9]|[4-9]\d|[1-9]\d{2,4})|#[xX]0*(?:[2-9a-fA-F][\da-fA-F]|[1-9a-fA-F][\da-fA-F]{2,4}));)/;

// A DOCTYPE with its optional [internal subset]; quoted strings may hold ">" or "]".
const DOCTYPE = /<!DOCTYPE(?:[^[>"']|"[^"]*"|'[^']*')*(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\]\s*)?>/i;

/** Where the DOCTYPE starts, looking only in the prolog (before the first element). */
function doctypeAt(text: string): number {
  const root = text.search(/<[A-Za-z_]/);
  const prolog = root < 0 ? text : text.slice(0, root);
  for (const probe of ['<!DOCTYPE', '<!doctype', '<!Doctype']) {
    const at = prolog.indexOf(probe);
    if (at >= 0) return at;
  }
  return -1;
}

function stripDoctype(text: string): string {
  const at = doctypeAt(text);
  if (at < 0) return text;
  const m = DOCTYPE.exec(text.slice(at));
  // An unterminated DOCTYPE: drop the rest of the prolog up to the first element.
  if (!m) return text.slice(0, at) + text.slice(at).replace(/^<!DOCTYPE[\s\S]*?(?=<[A-Za-z])/i, '');
  return text.slice(0, at) + text.slice(at + m[0].length);
}

const AMPERSANDS =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?:(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z_][\w.:-]{0,40});)?/g;

function fixReference(match: string, ref: string | undefined): string {
  if (match.charCodeAt(0) === 60 /* "<": CDATA or comment */) return match;
  if (ref === undefined) return '&amp;';
  if (ref.charCodeAt(0) === 35 /* "#" */) {
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return isXmlChar(code) ? match : '';
  }
  return xmlSafeEntity(ref) ?? `&amp;${ref};`;
}

function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}
