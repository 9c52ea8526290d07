import { createHash } from 'node:crypto';
import type { Story } from '../store/story.js';
import { canonicalUrl, canonicalUrlVariants } from './canonical-url.js';
import type { FeedItem, MarkedText } from './feed-item.js';
import { parseFeedDate } from './parse-date.js';
import { foldWhitespace, htmlToText, truncateAtWord } from './plain-text.js';
import { resolveUrl } from './read-feed-item.js';

export interface NormalizeContext {
  feedId: string;
  /** The feed's configured language, used when neither the item nor the feed says. */
  lang: string;
  now: Date;
  /** Guids this feed uses for several items, or that are the feed's own address: not ids. */
  unusableGuids?: ReadonlySet<string>;
}

export const SUMMARY_MAX_CHARS = 600;
const TITLE_MAX_CHARS = 300;
const GUID_MAX_CHARS = 256;

/**
 * Story ids, in order of preference:
 *  1. the guid (atom:id, rdf:about), unless obviously not unique (see unusableGuids):
 *     - a guid that is an http(s) URL is an address, global by nature: "url:" and
 *       its canonical form, the same id as rule 2 gives for that URL, so a story
 *       reached through two feeds, with or without a guid, stays one story;
 *     - any other guid ("1234", "tag:…", "urn:uuid:…") means something only
 *       inside its feed: "guid:<feedId>:<guid>", so two feeds numbering items
 *       1, 2, 3 cannot collide. (A tag: or urn:uuid: guid shared by two feeds then
 *       gives two ids; the store still merges them by canonical URL.)
 *  2. else the canonical link: "url:<canonical URL>", shared across feeds;
 *  3. else "hash:<feedId>:<sha256 of title, date and summary>" (the summary is in
 *     the hash so two untitled, undated items of one feed stay apart).
 */
export function storyId(
  item: FeedItem,
  url: string | null,
  ctx: NormalizeContext,
  parts: { title: string; published: string | null; summary: string },
): string {
  const guid = item.guid?.trim();
  if (guid && !ctx.unusableGuids?.has(guid)) {
    if (/^https?:\/\//i.test(guid)) {
      const canonical = canonicalUrl(guid);
      if (canonical) return `url:${canonical}`;
    }
    return `guid:${ctx.feedId}:${guid.length > GUID_MAX_CHARS ? `sha256:${sha256(guid)}` : guid}`;
  }
  if (url) return `url:${url}`;
  return `hash:${ctx.feedId}:${sha256([parts.title, parts.published ?? '', parts.summary].join('\n')).slice(0, 32)}`;
}

/**
 * The keys a story given by a person may be stored under, best first: the text
 * as typed (an id, or a URL stored as is), then each canonical spelling of it as
 * a URL and as the "url:" id storyId gives that URL. So a link pasted with
 * utm_ parameters, a #fragment, an upper-case host or the other trailing slash
 * finds the story stored from the feed.
 */
export function storyLookupKeys(idOrUrl: string): string[] {
  const typed = idOrUrl.trim();
  const urls = canonicalUrlVariants(typed.replace(/^url:/, ''));
  return [...new Set([typed, ...urls.flatMap((u) => [u, `url:${u}`])])];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Plain text of at least `want` characters when the source has them. Long bodies
 * (full articles in content:encoded) are converted from their start only: first
 * 4× the wanted length, then 20× if markup ate most of it.
 */
function toText(value: MarkedText | null, want: number): string {
  if (!value) return '';
  const convert = value.markup === 'html' ? htmlToText : foldWhitespace;
  let text = '';
  for (const cap of [want * 4, want * 20]) {
    text = convert(value.text.length > cap ? value.text.slice(0, cap) : value.text);
    if (value.text.length <= cap || text.length > want) break;
  }
  return text;
}

/** A BCP 47-ish language tag ("en", "en-US", "ja"), or null when it is not one. */
export function normalizeLang(tag: string | null): string | null {
  const m = /^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z0-9]{2,8}))?/.exec(tag?.trim() ?? '');
  if (!m) return null;
  const region = m[2] ? (m[2].length === 2 ? m[2].toUpperCase() : m[2].toLowerCase()) : null;
  return region ? `${m[1]!.toLowerCase()}-${region}` : m[1]!.toLowerCase();
}

/**
 * FeedItem → Story, one per item even when the item is nearly empty (its title
 * then falls back to the summary's start, the URL, or "(untitled)"), so counts
 * match the feed and nothing is dropped silently. `published` is null when the
 * feed gives no date, one that cannot be read, or one more than a day ahead (see
 * parse-date.ts); the store then uses the first-seen time.
 */
export const UNTITLED = '(untitled)';

export function normalizeStory(item: FeedItem, ctx: NormalizeContext): Story {
  const resolved = resolveUrl(item.link, item.base);
  const url = resolved ? canonicalUrl(resolved) : null;
  let summary = truncateAtWord(toText(item.summary, SUMMARY_MAX_CHARS), SUMMARY_MAX_CHARS);
  let title = truncateAtWord(toText(item.title, TITLE_MAX_CHARS), TITLE_MAX_CHARS);
  if (!title) title = summary ? truncateAtWord(summary, 80) : (url ?? UNTITLED);
  if (summary === title) summary = '';
  const published = parseFeedDate(item.dates, ctx.now);
  const author = item.author ? truncateAtWord(htmlToText(item.author), 200) || null : null;
  return {
    id: storyId(item, url, ctx, { title, published, summary }),
    feedId: ctx.feedId,
    title,
    summary,
    url,
    published,
    author,
    lang: normalizeLang(item.lang) ?? ctx.lang,
  };
}
