import { isElement, type XmlElement } from './xml-node.js';

/**
 * rss-parser recognises a feed by its root key as xml2js writes it (<feed>,
 * <rss>, <rdf:RDF>) and reads elements by their written names, because xml2js
 * ignores namespaces. Valid feeds that spell their own elements with a prefix
 * (<atom:feed>, <r:rss>, <p0:entry>, <rss:item> in RSS 1.0) or use a root it does
 * not know (RSS 1.1's <Channel>, a bare <channel>, <rdf>) would be lost. This maps
 * them onto what rss-parser knows. Only prefixes bound to the feed's own format
 * are dropped: <atom:link> inside an RSS 2.0 channel keeps its prefix.
 */

const FORMAT_NAMESPACES = {
  atom: ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'],
  rss: ['http://backend.userland.com/rss2', 'http://backend.userland.com/rss'],
  rdf: ['http://purl.org/rss/1.0/', 'http://my.netscape.com/rdf/simple/0.9/'],
  rss11: ['http://purl.org/net/rss1.1#'],
} as const;
type FormatFamily = keyof typeof FORMAT_NAMESPACES;

const FAMILY_OF_URI = new Map<string, FormatFamily>(
  Object.entries(FORMAT_NAMESPACES).flatMap(([family, uris]) =>
    uris.map((u): [string, FormatFamily] => [u, family as FormatFamily]),
  ),
);
// A prefix declared for one of the format namespaces (one pass; most feeds have none).
const DECLARATION = new RegExp(
  `xmlns:([\\w.-]+)\\s*=\\s*["'](${[...FAMILY_OF_URI.keys()].map((u) => u.replace(/[.#/]/g, '\\$&')).join('|')})["']`,
  'g',
);

/** Prefixes the document binds to each format's namespace. */
export function formatPrefixes(text: string): Map<FormatFamily, Set<string>> {
  const found = new Map<FormatFamily, Set<string>>();
  DECLARATION.lastIndex = 0;
  for (let m = DECLARATION.exec(text); m; m = DECLARATION.exec(text)) {
    const family = FAMILY_OF_URI.get(m[2]!)!;
    found.set(family, (found.get(family) ?? new Set()).add(m[1]!));
  }
  return found;
}

function familyOf(localRoot: string): FormatFamily | null {
  if (localRoot === 'feed') return 'atom';
  if (localRoot === 'rss') return 'rss';
  if (/^rdf$/i.test(localRoot)) return 'rdf';
  if (localRoot === 'Channel') return 'rss11';
  return null;
}

/** Renames `prefix:name` keys to `name` for the given prefixes, merging with unprefixed siblings. */
function stripPrefixes(node: unknown, prefixes: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => stripPrefixes(n, prefixes));
  if (!isElement(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$' || key === '_') {
      out[key] = value;
      continue;
    }
    const colon = key.indexOf(':');
    const name = colon > 0 && prefixes.has(key.slice(0, colon)) ? key.slice(colon + 1) : key;
    const mapped = stripPrefixes(value, prefixes);
    const existing = out[name];
    out[name] = Array.isArray(existing) && Array.isArray(mapped) ? [...existing, ...mapped] : mapped;
  }
  return out;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Maps one parsed document (xml2js output) onto a root rss-parser recognises, or returns it as it is. */
export function mapFeedRoot(result: unknown, prefixes: Map<FormatFamily, Set<string>>): unknown {
  if (!isElement(result)) return result;
  const key = Object.keys(result)[0];
  if (key === undefined) return result;
  const local = key.slice(key.indexOf(':') + 1);
  const family = familyOf(local);
  let node: unknown = result[key];
  const own = family ? prefixes.get(family) : undefined;
  if (own?.size) node = stripPrefixes(node, own);
  const element: XmlElement = isElement(node) ? node : {};

  if (family === 'atom') {
    // Some Atom 0.3 feeds (and feedparser's fixtures) call their entries <item>.
    return { feed: element.entry || !element.item ? element : { ...element, entry: element.item } };
  }
  if (family === 'rss') return { rss: element };
  if (family === 'rdf') {
    // RSS 1.0 items belong beside the channel; some feeds put them inside it.
    const channel = arrayOf(element.channel)[0];
    const inChannel = isElement(channel) ? arrayOf(channel.item) : [];
    return {
      'rdf:RDF': { ...element, channel: element.channel ?? [{}], item: [...arrayOf(element.item), ...inChannel] },
    };
  }
  if (family === 'rss11' || local === 'channel') {
    // RSS 1.1 keeps its items in <items rdf:parseType="Collection">; a bare <channel> is RSS 0.9x without <rss>.
    const items = arrayOf(element.items).flatMap((list) => (isElement(list) ? arrayOf(list.item) : []));
    const channel = { ...element, item: [...arrayOf(element.item), ...items] };
    return { rss: { $: { version: '2.0' }, channel: [channel] } };
  }
  return result;
}
