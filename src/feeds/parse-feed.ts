import type { Story } from '../store/story.js';
import { cleanXml } from './clean-xml.js';
import { prepareXmlText } from './decode-body.js';
import type { FeedInfo, FeedItem } from './feed-item.js';
import type { ParseOptions, ParseResult } from './feed-types.js';
import { normalizeStory } from './normalize-story.js';
import { readFeedInfo, readFeedItem } from './read-feed-item.js';
import { closeOpenTags, envelope, headerOf, itemBlocks } from './recover-items.js';
import { TolerantParser } from './tolerant-parser.js';

/**
 * Feed text → stories. The text is cleaned (clean-xml.ts: no DTD, no HTML
 * entities, no bare "&"), parsed by rss-parser (tolerant-parser.ts), read
 * (read-feed-item.ts) and normalized (normalize-story.ts). When the document is
 * not well-formed, or not a feed rss-parser recognises, its <item>/<entry>
 * blocks are parsed one by one (recover-items.ts), so a broken feed keeps its
 * good items; what was lost is said in `errors`.
 */
export async function parseFeed(text: string, opts: ParseOptions): Promise<ParseResult> {
  const prepared = prepareXmlText(text);
  let xml = cleanXml(prepared);
  if (!xml.trim()) return { feedTitle: null, stories: [], errors: ['the document is empty'] };
  let whole = await parseWhole(xml, opts);
  if ('failure' in whole) {
    // The quick clean may have let through a reference XML forbids: clean thoroughly and try again.
    const thorough = cleanXml(prepared, { thorough: true });
    if (thorough !== xml) {
      xml = thorough;
      const again = await parseWhole(xml, opts);
      if (!('failure' in again)) whole = again;
    }
  }
  return 'failure' in whole ? recover(xml, whole.failure, opts) : whole;
}

async function parseWhole(xml: string, opts: ParseOptions): Promise<ParseResult | { failure: string }> {
  const parser = new TolerantParser();
  try {
    const feed = await parser.parse(xml);
    if (!parser.root) return { failure: 'not a feed' };
    const info = readFeedInfo(parser.root, feed, opts.baseUrl);
    const items = feed.items.map((item) => readFeedItem(item, parser.root!.format, info));
    return { feedTitle: info.title, stories: normalizeAll(items, info, opts), errors: [] };
  } catch (err) {
    return { failure: describeParseError(err, xml) };
  }
}

async function recover(xml: string, failure: string, opts: ParseOptions): Promise<ParseResult> {
  const blocks = itemBlocks(xml);
  if (!blocks.length) return { feedTitle: null, stories: [], errors: [`${failure}; no items could be recovered`] };
  const info = await readHeader(xml, opts.baseUrl);
  const items: FeedItem[] = [];
  let lost = 0;
  for (const block of blocks) {
    const parser = new TolerantParser();
    try {
      const feed = await parser.parse(envelope(block));
      const item = feed.items[0];
      if (!item || !parser.root) throw new Error('empty');
      items.push(readFeedItem(item, parser.root.format, info));
    } catch {
      lost++;
    }
  }
  const kept = `kept ${items.length} of ${blocks.length} item${blocks.length === 1 ? '' : 's'}`;
  return {
    feedTitle: info.title,
    stories: normalizeAll(items, info, opts),
    errors: [`${failure}; ${kept}${lost ? ` (${lost} could not be read)` : ''}`],
  };
}

/** Feed-level fields of a broken feed, from its text before the first item. */
async function readHeader(xml: string, baseUrl: string): Promise<FeedInfo> {
  const parser = new TolerantParser();
  try {
    const feed = await parser.parse(closeOpenTags(headerOf(xml)));
    if (parser.root) return readFeedInfo(parser.root, feed, baseUrl);
  } catch {
    // A header beyond repair: the items still resolve against the document URL.
  }
  return { title: null, link: null, base: baseUrl, lang: null };
}

function normalizeAll(items: FeedItem[], info: FeedInfo, opts: ParseOptions): Story[] {
  // A guid shared by several items, or equal to the feed's own address, identifies nothing.
  const counts = new Map<string, number>();
  for (const item of items) if (item.guid) counts.set(item.guid, (counts.get(item.guid) ?? 0) + 1);
  const unusableGuids = new Set([...counts].filter(([, n]) => n > 1).map(([guid]) => guid));
  for (const address of [info.link, opts.baseUrl]) if (address && counts.has(address)) unusableGuids.add(address);
  const ctx = { feedId: opts.feedId, lang: opts.lang, now: opts.now, unusableGuids };
  return items.map((item) => normalizeStory(item, ctx));
}

/** sax and rss-parser errors in plain words, with the line when there is one. */
export function describeParseError(err: unknown, xml: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n')[0]!.replace(/\.$/, '');
  const line = /Line: (\d+)/.exec(message)?.[1];
  const at = line ? ` at line ${Number(line) + 1}` : '';
  if (/not recognized as RSS/i.test(first)) {
    const root = /<([A-Za-z_][\w:.-]*)/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1] ?? '?';
    return `not an RSS or Atom feed (the document's root element is <${root}>)`;
  }
  if (/Non-whitespace before first tag/i.test(first)) return 'not XML: there is text before the first tag';
  return `not well-formed XML (${first}${at})`;
}
