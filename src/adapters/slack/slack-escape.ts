import { CONTROL_CLASS } from '../../render/untrusted-text.js';

/**
 * Slack's control sequences are `<…>` (mentions, links, `<!channel>`) and `&`
 * entities. Escaping &, < and > in every piece of untrusted text means a feed
 * headline or brief line can never ping anyone or form a link; nothing else needs
 * escaping (Slack decodes only these three).
 */

// The shared control and bidi characters are removed (they could reorder or hide
// what a reader sees); newlines are kept and tabs become spaces.
const SPECIAL = new RegExp(`[&<>\\t${CONTROL_CLASS}]`, 'g');
const SPECIAL_CHAR = new RegExp(SPECIAL.source);
const REPLACEMENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': ' ' };

/** Escapes &, < and > for any Slack text field (mrkdwn, plain_text, the `text` fallback). */
export function escapeSlack(text: string): string {
  // One pass: this runs on every string of every answer.
  return text.replace(SPECIAL, (c) => REPLACEMENT[c] ?? '');
}

/** Escapes text meant for one line (labels, link labels, meta): whitespace runs become one space. */
export function escapeInline(text: string): string {
  return escapeSlack(oneLine(text));
}

/**
 * Escapes `text` and cuts it so the escaped result has at most `max` characters,
 * ending in "…" when cut. The cut falls between characters of the raw text, so it
 * can never split an entity such as `&amp;`, nor a surrogate pair.
 */
export function fitEscaped(text: string, max: number): string {
  const whole = escapeSlack(text);
  if (whole.length <= max) return whole;
  let out = '';
  for (const ch of text) {
    const escaped = ch.length === 1 && SPECIAL_CHAR.test(ch) ? (REPLACEMENT[ch] ?? '') : ch;
    if (out.length + escaped.length + 1 > max) break;
    out += escaped;
  }
  return `${out.trimEnd()}…`;
}

/** fitEscaped for one-line text (see escapeInline). */
export function fitInline(text: string, max: number): string {
  return fitEscaped(oneLine(text), max);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A Slack link `<url|label>` for http(s) URLs only: a feed cannot smuggle a
 * `slack://` or `javascript:` link. The URL is made safe for the `<…|…>` syntax
 * (no `|`, `<`, `>` or spaces; `&` as an entity); the label is escaped text.
 * Returns just the escaped label when the URL is not usable.
 */
export function slackLink(url: string, escapedLabel: string): string {
  const safe = safeUrl(url);
  return safe ? `<${safe}|${escapedLabel}>` : escapedLabel;
}

/** The URL as it may appear inside `<…>`, or undefined if it is not http(s). */
export function safeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // URL serialisation percent-encodes spaces, < and >; | is legal in a URL but ends Slack's URL part.
  const href = parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;');
  // Longer URLs are shown as text: the link must leave room for the rest of a section.
  return href.length <= 800 ? href : undefined;
}
