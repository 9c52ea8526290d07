import type { FeedInfo, FeedItem, MarkedText } from './feed-item.js';
import { foldWhitespace, htmlToText } from './plain-text.js';
import { RAW_NODE, type ParsedFeed, type ParsedItem, type ParsedRoot } from './tolerant-parser.js';
import { attr, child, childText, children, isElement, textOf, type XmlNode } from './xml-node.js';

/**
 * Reads FeedInfo and FeedItems from what rss-parser parsed: mostly from the
 * xml2js elements it parsed them from, since rss-parser loses xml:base, xml:lang,
 * Atom content types, Atom 0.3 dates and link relations; rss-parser's own fields
 * fill gaps.
 */

/** Resolves a reference against a base; null when either is unusable. */
export function resolveUrl(ref: string | null | undefined, base: string | null | undefined): string | null {
  if (!ref) return null;
  try {
    return new URL(ref.trim(), base ?? undefined).href;
  } catch {
    return null;
  }
}

function channelOf(root: ParsedRoot): unknown {
  return root.format === 'atom' ? root.node : child(root.node, 'channel');
}

/** Atom: the first link whose rel is alternate (the default), preferring HTML; RSS: <link> text. */
function pickLink(node: unknown): { href: string; base: string | null } | null {
  let fallback: { href: string; base: string | null } | null = null;
  for (const link of children(node, 'link')) {
    if (typeof link === 'string') {
      if (link.trim()) return { href: link.trim(), base: null };
      continue;
    }
    const href = attr(link, 'href') ?? (typeof link._ === 'string' ? link._.trim() : null);
    if (!href) continue;
    const rel = (attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
    if (rel !== 'alternate') continue;
    const found = { href: href.trim(), base: attr(link, 'xml:base') };
    const type = attr(link, 'type');
    if (!type || /html/i.test(type)) return found;
    fallback ??= found;
  }
  return fallback;
}

function langOf(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) if (c && c.trim()) return c.trim();
  return null;
}

export function readFeedInfo(root: ParsedRoot, feed: ParsedFeed, documentUrl: string): FeedInfo {
  const channel = channelOf(root);
  const xmlBase = attr(channel, 'xml:base') ?? attr(root.node, 'xml:base');
  const docBase = resolveUrl(xmlBase, documentUrl) ?? documentUrl;
  const picked = pickLink(channel);
  const link = picked ? resolveUrl(picked.href, resolveUrl(picked.base, docBase) ?? docBase) : null;
  const title = root.format === 'atom' ? atomText(child(channel, 'title')) : rssText(channel, 'title', 'dc:title');
  return {
    title:
      (title && (title.markup === 'html' ? htmlToText(title.text) : foldWhitespace(title.text))) ||
      (typeof feed.title === 'string' ? foldWhitespace(feed.title) : null),
    link,
    // An explicit xml:base wins; otherwise relative item links are taken to be relative to the site.
    base: xmlBase ? docBase : (link ?? docBase),
    lang: langOf(childText(channel, 'language', 'dc:language'), attr(channel, 'xml:lang'), attr(root.node, 'xml:lang')),
  };
}

/** Atom text constructs (and Atom 0.3's mode="escaped|xml|base64"): what to show and how to read it. */
function atomText(node: XmlNode | undefined): MarkedText | null {
  if (node === undefined) return null;
  const type = (attr(node, 'type') ?? '').trim().toLowerCase();
  const mode = (attr(node, 'mode') ?? '').trim().toLowerCase();
  if (attr(node, 'src') || mode === 'base64') return null;
  const text = textOf(node);
  if (!text.trim()) return null;
  if (type === 'html' || type === 'text/html' || mode === 'escaped') return { text, markup: 'html' };
  if (type === 'xhtml' || type.includes('xhtml') || typeof node !== 'string') return { text, markup: 'text' };
  if (type === 'text' || type.startsWith('text/')) return { text, markup: 'text' };
  // No type: Atom says text, but many feeds put escaped HTML there without saying so.
  if (type === '') return { text, markup: /<\/?[a-z][a-z0-9]*[\s>/]/i.test(text) ? 'html' : 'text' };
  return null;
}

/** RSS text: titles and descriptions often hold (escaped) HTML, so they are read as HTML. */
function rssText(node: unknown, ...names: string[]): MarkedText | null {
  const text = childText(node, ...names);
  return text ? { text, markup: 'html' } : null;
}

function dateTexts(node: unknown, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const text = childText(node, name);
    if (text) out.push(text);
  }
  return out;
}

function authorOf(node: unknown): string | null {
  const a = child(node, 'author');
  const name = isElement(a) ? (childText(a, 'name') ?? childText(a, 'email')) : typeof a === 'string' ? a.trim() : null;
  const text = name || childText(node, 'dc:creator', 'itunes:author', 'dc:author');
  if (!text) return null;
  // RSS 2.0 wants "email (Name)": keep the name.
  const m = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  return (m ? m[1]! : text).replace(/\s+/g, ' ').trim() || null;
}

const RSS_DATES = [
  'pubDate',
  'dc:date',
  'dcterms:issued',
  'dcterms:created',
  'atom:published',
  'published',
  'atom:updated',
  'a10:updated',
  'updated',
  'dcterms:modified',
];
const ATOM_DATES = ['published', 'issued', 'created', 'dc:date', 'updated', 'modified'];

export function readFeedItem(item: ParsedItem, format: ParsedRoot['format'], info: FeedInfo): FeedItem {
  const node = item[RAW_NODE];
  const itemBase = resolveUrl(attr(node, 'xml:base'), info.base) ?? info.base;
  const atom = format === 'atom';
  const picked = atom ? pickLink(node) : null;
  let guid = childText(node, atom ? 'id' : 'guid') ?? attr(node, 'rdf:about');
  const guidNotPermaLink = !atom && /^false$/i.test(attr(child(node, 'guid'), 'isPermaLink')?.trim() ?? '');
  let link = atom
    ? (picked?.href ?? null)
    : (childText(node, 'feedburner:origLink') ??
      pickLink(node)?.href ??
      pickLink({ link: children(node, 'atom:link') })?.href ??
      null);
  // RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
  if (!link && !atom && guid && !guidNotPermaLink && /^https?:\/\//i.test(guid)) link = guid;
  link ??= typeof item.link === 'string' && item.link.trim() ? item.link.trim() : null;
  guid ??= typeof item.guid === 'string' && item.guid.trim() ? item.guid.trim() : null;

  const title = (atom ? atomText(child(node, 'title')) : rssText(node, 'title', 'dc:title')) ?? fromParser(item.title);
  const summary = atom
    ? (atomText(child(node, 'summary')) ?? atomText(child(node, 'content')) ?? rssText(node, 'description'))
    : rssText(node, 'description', 'content:encoded', 'xhtml:body', 'body', 'itunes:summary', 'summary', 'content');
  const dates = dateTexts(node, atom ? ATOM_DATES : RSS_DATES);
  if (!dates.length && typeof item.isoDate === 'string') dates.push(item.isoDate);

  return {
    guid,
    guidNotPermaLink,
    link,
    base: picked?.base ? (resolveUrl(picked.base, itemBase) ?? itemBase) : itemBase,
    title,
    summary: summary ?? fromParser(item.content ?? item.summary),
    dates,
    author: authorOf(node) ?? (typeof item.creator === 'string' ? item.creator : null),
    lang: langOf(childText(node, 'dc:language'), attr(node, 'xml:lang'), info.lang),
  };
}

function fromParser(value: unknown): MarkedText | null {
  return typeof value === 'string' && value.trim() ? { text: value, markup: 'html' } : null;
}
