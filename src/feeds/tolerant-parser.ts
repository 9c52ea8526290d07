import Parser from 'rss-parser';
import { formatPrefixes, mapFeedRoot } from './map-feed-root.js';
import { isElement, type XmlElement } from './xml-node.js';

/**
 * rss-parser, hardened for real feeds. It is used through parseString only
 * (STACK.md) and its XML layer (xml2js over sax) stays as is; what changes:
 *  - `defaultRSS: 2`, so <rss> without a version attribute is read as RSS 2.0
 *    instead of "Feed not recognized as RSS 1 or 2";
 *  - roots it does not know but which are feeds are mapped onto ones it does
 *    (map-feed-root.ts): RSS 1.1, prefixed feed elements, <rdf>, a bare <channel>;
 *  - an item that makes it throw (an Atom date it cannot read → "Invalid time
 *    value", a <link> without attributes…) no longer loses the feed: the item is
 *    kept with the element xml2js built for it, and the feed is rebuilt item by
 *    item when the feed-level code throws.
 * Every item carries the element it came from (RAW_NODE), because rss-parser
 * drops what normalizing needs (xml:base, xml:lang, Atom 0.3 dates, link rels).
 *
 * The overrides reach methods rss-parser does not declare in its types (pinned
 * ~3.13, whose last release was 2023); tests/feeds/parse-feed.test.ts checks they
 * still exist, so an upgrade that renames one fails there rather than in a feed.
 */
export const RAW_NODE = Symbol('raw xml2js element');

export type ParsedItem = Parser.Item & { [key: string]: unknown; [RAW_NODE]?: unknown };
export interface ParsedFeed {
  title?: string;
  link?: string;
  items: ParsedItem[];
  [key: string]: unknown;
}
/** What the last parse found: the format and the root element (after mapping). */
export interface ParsedRoot {
  format: 'atom' | 'rss' | 'rdf';
  node: XmlElement;
}

type XmlCallback = (err: Error | null, result: unknown) => void;
interface Internals {
  xmlParser: { parseString(xml: string, cb: XmlCallback): void };
  parseItemAtom(entry: unknown): ParsedItem;
  parseItemRss(item: unknown, fields: unknown): ParsedItem;
  buildAtomFeed(xml: unknown): ParsedFeed;
  buildRSS0_9(xml: unknown): ParsedFeed;
  buildRSS1(xml: unknown): ParsedFeed;
  buildRSS2(xml: unknown): ParsedFeed;
}
const base = Parser.prototype as unknown as Internals;

export class TolerantParser extends Parser<Record<string, unknown>, Record<string, unknown>> {
  /** The root of the last document parsed, or null when it was not a feed. */
  root: ParsedRoot | null = null;
  private prefixes: ReturnType<typeof formatPrefixes> = new Map();

  constructor() {
    super({ defaultRSS: 2 });
    const xml = (this as unknown as Internals).xmlParser;
    const parse = xml.parseString.bind(xml);
    xml.parseString = (text, cb) =>
      parse(text, (err, result) => {
        if (err) return cb(err, result);
        const mapped = mapFeedRoot(result, this.prefixes);
        this.root = rootOf(mapped);
        cb(null, mapped);
      });
  }

  async parse(text: string): Promise<ParsedFeed> {
    this.root = null;
    this.prefixes = formatPrefixes(text);
    return (await this.parseString(text)) as unknown as ParsedFeed;
  }

  parseItemAtom(entry: unknown): ParsedItem {
    return withRaw(entry, () => base.parseItemAtom.call(this, entry));
  }

  parseItemRss(item: unknown, fields: unknown): ParsedItem {
    return withRaw(item, () => base.parseItemRss.call(this, item, fields));
  }

  buildAtomFeed(xml: unknown): ParsedFeed {
    return orItemByItem(
      () => base.buildAtomFeed.call(this, xml),
      (this.root?.node.entry as unknown[]) ?? [],
      (e) => this.parseItemAtom(e),
    );
  }

  buildRSS0_9(xml: unknown): ParsedFeed {
    return this.buildRss(() => base.buildRSS0_9.call(this, xml));
  }

  buildRSS1(xml: unknown): ParsedFeed {
    return this.buildRss(() => base.buildRSS1.call(this, xml));
  }

  buildRSS2(xml: unknown): ParsedFeed {
    return this.buildRss(() => base.buildRSS2.call(this, xml));
  }

  private buildRss(build: () => ParsedFeed): ParsedFeed {
    return orItemByItem(build, this.root ? rssItemsOf(this.root) : [], (i) => this.parseItemRss(i, []));
  }
}

function withRaw(node: unknown, parse: () => ParsedItem): ParsedItem {
  let item: ParsedItem;
  try {
    item = parse();
  } catch {
    item = {};
  }
  item[RAW_NODE] = node;
  return item;
}

function orItemByItem(build: () => ParsedFeed, nodes: unknown[], parseItem: (node: unknown) => ParsedItem): ParsedFeed {
  try {
    return build();
  } catch {
    return { items: nodes.map(parseItem) };
  }
}

/** The item elements of an RSS 0.9x/1.0/2.0 root, wherever the feed put them. */
export function rssItemsOf(root: ParsedRoot): unknown[] {
  const channel = Array.isArray(root.node.channel) ? root.node.channel[0] : undefined;
  const inChannel = isElement(channel) && Array.isArray(channel.item) ? channel.item : [];
  const atRoot = Array.isArray(root.node.item) ? root.node.item : [];
  // RSS 1.0 items found inside the channel were already moved beside it (map-feed-root.ts).
  return root.format === 'rdf' ? atRoot : [...inChannel, ...atRoot];
}

function rootOf(result: unknown): ParsedRoot | null {
  if (!isElement(result)) return null;
  const pick = (key: string, format: ParsedRoot['format']) =>
    isElement(result[key]) ? { format, node: result[key] as XmlElement } : null;
  return pick('feed', 'atom') ?? pick('rss', 'rss') ?? pick('rdf:RDF', 'rdf');
}
