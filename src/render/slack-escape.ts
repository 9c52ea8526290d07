/**
 * Slack's control sequences are `<…>` (mentions, links, `<!channel>`) and `&`
 * entities. Escaping &, < and > in every piece of untrusted text means a feed
 * headline or brief line can never ping anyone or form a link; nothing else needs
 * escaping (Slack decodes only these three).
 */

// Control characters and bidi overrides (same set as the text renderer): they
// could reorder or hide what a reader sees. Newlines are kept; tabs become spaces.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes &, < and > for any Slack text field (mrkdwn, plain_text, the `text` fallback). */
export function escapeSlack(text: string): string {
  return text.replace(CONTROL, '').replace(/\t/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text meant for one line (labels, link labels, meta): whitespace runs become one space. */
export function escapeInline(text: string): string {
  return escapeSlack(text.replace(/\s+/g, ' ').trim());
}

/**
 * Escapes `text` and cuts it so the escaped result has at most `max` characters,
 * ending in "…" when cut. The cut happens on the raw text, before escaping, so it
 * can never split an entity such as `&amp;`, nor a surrogate pair.
 */
export function fitEscaped(text: string, max: number, escape: (t: string) => string = escapeSlack): string {
  const whole = escape(text);
  if (whole.length <= max) return whole;
  // Binary search for the longest prefix (in code points) whose escaped form fits with the "…".
  const chars = Array.from(text);
  const cutAt = (keep: number) => escape(chars.slice(0, keep).join('')).trimEnd();
  let lo = 0;
  let hi = Math.min(chars.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cutAt(mid).length + 1 <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${cutAt(lo)}…`;
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
  const href = parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  if (href.length > 2000) return undefined;
  return href.replace(/&/g, '&amp;');
}
