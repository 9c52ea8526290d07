import { escapeMarkdown } from 'discord.js';
import { stripControls } from '../../render/untrusted-text.js';

/**
 * Makes untrusted text (feed titles, brief text) inert in Discord markdown: no
 * formatting, no masked links ([text](url)), no mentions (<@id>, <@&role>, <#chan>),
 * no @everyone/@here, no headings, lists or quotes. allowedMentions already stops
 * pings; this also stops the text from *looking* like a mention or a link.
 */
export function escapeDiscord(text: string): string {
  const escaped = escapeMarkdown(stripControls(text), { heading: true, bulletedList: true, numberedList: true });
  return escaped
    .replace(/[[\]()<>]/g, '\\$&')
    .replace(/^(\s*)-#/gm, '$1\\-#')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** For text Discord shows without markdown (embed footers, choice names): only controls and mass mentions. */
export function plainDiscord(text: string): string {
  return stripControls(text).replace(/@(everyone|here)/gi, '@\u200b$1');
}

/**
 * A link shown as <url>: Discord does not parse markdown inside the brackets, and
 * the WHATWG serialisation percent-encodes spaces and angle brackets, so the URL
 * cannot close the brackets early. Anything but http(s) is shown as inert text.
 */
export function safeLink(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return `<${parsed.href}>`;
  } catch {
    // not a URL: fall through
  }
  return escapeDiscord(url);
}

/** Cuts to at most max UTF-16 units with an ellipsis, never inside a surrogate pair or after a lone escaping backslash. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An odd run of trailing backslashes would escape the ellipsis' neighbour: drop one.
  const slashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (slashes % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}
