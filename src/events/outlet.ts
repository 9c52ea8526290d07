import { CJK_CHAR } from '../matching/normalize-text.js';
import { AGGREGATORS, OUTLET_NAMES, type AggregatorEntry, type OutletEntry } from './outlet-names.js';

/**
 * Which outlet a story comes from, and its headline as readers should see it.
 *
 * The outlet comes from the story's link (a table of well-known hosts, else the
 * link's registrable domain) and, without a link, from its feed. A title is
 * never read for it, since a headline like "Tokyo deal — message to Xi?" would
 * name an outlet "message to Xi?"; the one exception is an aggregator's link
 * (Google News, Yahoo!ニュース, MSN…), whose items name the outlet at the end of
 * the title ("Headline - Reuters", "見出し（共同通信）") by convention.
 */

/** What outletOf needs of a story. */
export interface OutletSource {
  title: string;
  url?: string | null;
  feedId?: string;
}

const SEPARATOR = /\s+[-|–—:]\s+(?=[^-|–—:]+$)|\s*\|\s*(?=[^|]+$)/;
/**
 * The title without a trailing " - Outlet" / " | Outlet", and the words it ended with, guessed from
 * the title alone. Good enough for comparing titles; it does not say who published a story (outletOf does).
 */
export function splitOutletSuffix(title: string): { core: string; outlet: string | null } {
  // NFKC and folded whitespace only (full-width ｜ becomes |): the core is shown to people, so dashes and case stay as written.
  const t = foldTitle(title);
  const m = SEPARATOR.exec(t);
  if (!m) return { core: t, outlet: null };
  const head = t.slice(0, m.index).trim();
  const tail = t.slice(m.index + m[0].length).trim();
  // An outlet name is short; a long tail is part of the headline ("Trump says: ...").
  const tailWords = tail.split(' ').length;
  const headWords = CJK_CHAR.test(head) ? head.length / 2 : head.split(' ').length;
  if (tailWords > 5 || tail.length > 40 || headWords < 3) return { core: t, outlet: null };
  return { core: head, outlet: tail };
}

/** The outlet of a story: from its link (an aggregator's item: the outlet its title names), else its feed. */
export function outletOf(story: OutletSource): string {
  return memo(outletMemo, `${story.url ?? ''}\u0000${story.feedId ?? ''}\u0000${story.title}`, () =>
    computeOutlet(story),
  );
}

function computeOutlet(story: OutletSource): string {
  const link = readLink(story.url).link;
  if (!link) return story.feedId ?? 'unknown';
  if (link.aggregator) {
    return aggregatorTitle(foldTitle(story.title), link.aggregator).outlet ?? story.feedId ?? link.aggregator.name;
  }
  return link.outlet?.name ?? registrableDomain(link.host);
}

/** True when the link goes through an aggregator's page or a redirect rather than to the outlet's own page. */
export function isAggregatorLink(url: string | null | undefined): boolean {
  const { link, redirect } = readLink(url);
  return redirect || link?.aggregator !== undefined;
}

/**
 * The headline to show: the title without a trailing " - X" / " | X" / "｜X" when X is the story's
 * outlet (or the link is an aggregator's, whose titles end with the outlet), else exactly as written
 * (NFKC, whitespace folded).
 */
export function displayTitle(story: OutletSource): string {
  return memo(titleMemo, `${story.url ?? ''}\u0000${story.feedId ?? ''}\u0000${story.title}`, () =>
    computeDisplayTitle(story),
  );
}

function computeDisplayTitle(story: OutletSource): string {
  const t = foldTitle(story.title);
  const link = readLink(story.url).link;
  if (link?.aggregator) return aggregatorTitle(t, link.aggregator).core;
  const suffix = lastSplit(t, OWN_SUFFIX);
  if (!suffix) return t;
  return namesOwnOutlet(suffix.tail, story, link) ? suffix.head : t;
}

/** A name reduced for comparison: case, punctuation, spacing and a leading "The" do not count. */
export function outletKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A host's registrable domain: "edition.cnn.com" → "cnn.com", "news.bbc.co.uk" → "bbc.co.uk". */
export function registrableDomain(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host; // an IP address
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const n = labels.at(-1)!.length === 2 && SECOND_LEVEL.has(labels.at(-2)!) ? 3 : 2;
  return labels.slice(-n).join('.');
}

// Second-level labels under country domains ("co.uk", "co.jp", "com.au", "ne.jp"): the name is one label further in.
const SECOND_LEVEL = new Set(
  'ac ad co com ed edu firm gen go gob gov gr info lg ltd mil ne net nic nom or org plc sch web'.split(' '),
);

// " - X", " – X", " — X", " | X", "|X" (full-width ｜ is | after NFKC).
const OWN_SUFFIX = /\s+[-–—|]\s+|\s*\|\s*/g;
// Aggregators put the outlet after a plain " - ", so a dash inside the headline is not mistaken for it.
const AGGREGATOR_SUFFIX = /\s+-\s+/g;

function foldTitle(title: string): string {
  return title.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

interface Link {
  /** Lower case, without a trailing dot. */
  host: string;
  outlet?: OutletEntry;
  aggregator?: AggregatorEntry;
}

/** Redirects that name their target in a query parameter (Google Alerts, Bing News), or that hide it (FeedBurner). */
const REDIRECTS: Array<{ host: RegExp; path: RegExp; params: string[] }> = [
  { host: /(^|\.)google\.[a-z.]+$/, path: /^\/url$/, params: ['url', 'q'] },
  { host: /(^|\.)bing\.com$/, path: /^\/news\/apiclick\.aspx$/i, params: ['url'] },
  { host: /^feedproxy\.google\.com$/, path: /^\//, params: [] },
];

/** The link a story points at, seen through a redirect whose target is known. */
function readLink(url: string | null | undefined): { link: Link | null; redirect: boolean } {
  return url ? memo(linkMemo, url, () => computeLink(url)) : { link: null, redirect: false };
}

function computeLink(url: string | null | undefined): { link: Link | null; redirect: boolean } {
  const parsed = parseUrl(url);
  if (!parsed) return { link: null, redirect: false };
  const host = hostOf(parsed);
  const redirect = REDIRECTS.find((r) => r.host.test(host) && r.path.test(parsed.pathname));
  if (redirect) {
    const target = redirect.params.map((p) => parseUrl(parsed.searchParams.get(p))).find((u) => u !== null);
    return { link: target ? linkTo(hostOf(target)) : null, redirect: true };
  }
  return { link: linkTo(host), redirect: false };
}

function parseUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

function linkTo(host: string): Link {
  const aggregator = lookup(AGGREGATOR_TABLE, host);
  if (aggregator) return { host, aggregator };
  const outlet = lookup(OUTLET_TABLE, host);
  return outlet ? { host, outlet } : { host };
}

const AGGREGATOR_TABLE = new Map(Object.entries(AGGREGATORS));
const OUTLET_TABLE = new Map(Object.entries(OUTLET_NAMES));

/** The entry for the host or its nearest parent domain ("edition.cnn.com" → "cnn.com"). */
function lookup<T>(table: Map<string, T>, host: string): T | undefined {
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const found = table.get(labels.slice(i).join('.'));
    if (found) return found;
  }
  return undefined;
}

/** Known outlets by any name they go by (outletKey) → the name readers see. */
const NAME_INDEX: Map<string, string> = (() => {
  const index = new Map<string, string>();
  const add = (alias: string, name: string) => {
    const key = outletKey(alias);
    if (key && !index.has(key)) index.set(key, name);
  };
  const entries = Object.entries(OUTLET_NAMES);
  for (const [, e] of entries) add(e.name, e.name);
  for (const [, e] of entries) for (const alias of e.aliases ?? []) add(alias, e.name);
  for (const [host, e] of entries) add(host, e.name);
  return index;
})();

/** An outlet name as written in a title, under the name readers know it by when it is a known outlet. */
function canonicalName(name: string): string {
  return NAME_INDEX.get(outletKey(name)) ?? name;
}

/** An aggregator's title: the headline, and the outlet it names at its end (dropping the aggregator's own name). */
function aggregatorTitle(title: string, aggregator: AggregatorEntry): { core: string; outlet: string | null } {
  let core = title;
  for (let i = 0; i < 3; i++) {
    const suffix =
      lastSplit(core, AGGREGATOR_SUFFIX) ?? (aggregator.parenthesizedOutlet ? parenthesizedSuffix(core) : null);
    if (!suffix || !isShortName(suffix.tail)) break;
    core = suffix.head;
    if (outletKey(suffix.tail) !== outletKey(aggregator.name)) return { core, outlet: canonicalName(suffix.tail) };
  }
  return { core, outlet: null };
}

function isShortName(s: string): boolean {
  return s.length <= 60 && s.split(' ').length <= 8;
}

/** The title split at the last separator, when both sides have words. */
function lastSplit(title: string, separator: RegExp): { head: string; tail: string } | null {
  let last: RegExpExecArray | null = null;
  for (const m of title.matchAll(separator)) last = m;
  if (!last) return null;
  const head = title.slice(0, last.index).trim();
  const tail = title.slice(last.index + last[0].length).trim();
  return head && tail ? { head, tail } : null;
}

/** "見出し（テレビ朝日系（ANN））" → head "見出し", tail "テレビ朝日系（ANN）" (NFKC has made the brackets ASCII). */
function parenthesizedSuffix(title: string): { head: string; tail: string } | null {
  if (!title.endsWith(')')) return null;
  let depth = 0;
  for (let i = title.length - 1; i >= 0; i--) {
    if (title[i] === ')') depth++;
    else if (title[i] === '(' && --depth === 0) {
      const head = title.slice(0, i).trim();
      const tail = title.slice(i + 1, -1).trim();
      return head && tail ? { head, tail } : null;
    }
  }
  return null;
}

/** Whether a title's last words name the story's own outlet: its name, another name it goes by, or its host. */
function namesOwnOutlet(words: string, story: OutletSource, link: Link | null): boolean {
  const key = outletKey(words);
  if (!key) return false;
  const outlet = outletKey(outletOf(story));
  if (key === outlet || outletKey(canonicalName(words)) === outlet) return true;
  if (!link) return false;
  if (link.outlet && [link.outlet.name, ...(link.outlet.aliases ?? [])].some((n) => outletKey(n) === key)) return true;
  const domain = registrableDomain(link.host);
  return [link.host, domain, domain.split('.')[0]!]
    .map(outletKey)
    .some((h) => h === key || h.replace(/^the/, '') === key);
}

let knownNames: Set<string> | undefined;

/** Whether a text is nothing but an outlet's name ("Reuters", "日本経済新聞"): such a "headline" says nothing of an event. */
export function isOutletName(text: string): boolean {
  knownNames ??= new Set(
    [
      ...Object.values(OUTLET_NAMES).flatMap((e) => [e.name, ...(e.aliases ?? [])]),
      ...Object.values(AGGREGATORS).map((e) => e.name),
    ].map(outletKey),
  );
  const key = outletKey(text);
  return key.length > 0 && knownNames.has(key);
}

// Answers read the same stories' outlets and titles again and again (every event line,
// every ranking): remembered per link and title, in maps that start afresh when full.
const MEMO_SIZE = 20_000;
const outletMemo = new Map<string, string>();
const titleMemo = new Map<string, string>();
const linkMemo = new Map<string, { link: Link | null; redirect: boolean }>();

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= MEMO_SIZE) cache.clear();
    v = compute();
    cache.set(key, v);
  }
  return v;
}
