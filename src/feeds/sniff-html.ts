/**
 * Admins often paste a site's address instead of its feed's. A body whose first
 * element is <html> (or that starts with an HTML doctype) is a web page, and the
 * page usually says where its feed is: <link rel="alternate"
 * type="application/rss+xml" href="…">. Both are told to the admin.
 */

/** True when the text is an HTML page rather than XML. Looks at the start only. */
export function looksLikeHtml(text: string): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/^\ufeff/, '')
    .replace(/<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->/g, '')
    .trimStart();
  return /^<!DOCTYPE\s+html\b/i.test(head) || /^(<!DOCTYPE[^>]*>\s*)?<html[\s>]/i.test(head);
}

const LINK_TAG = /<link\b[^<>]*>/gi;

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? null) : null;
}

/** The feed URLs an HTML page advertises, resolved against the page's URL. */
export function advertisedFeeds(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  for (const tag of html.slice(0, 200_000).match(LINK_TAG) ?? []) {
    const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
    const type = attribute(tag, 'type')?.toLowerCase() ?? '';
    const href = attribute(tag, 'href');
    if (!href || !rel.includes('alternate') || !/^application\/(rss|atom|rdf)\+xml/.test(type)) continue;
    try {
      const url = new URL(href.replace(/&amp;/g, '&'), pageUrl).href;
      if (!found.includes(url)) found.push(url);
    } catch {
      // An href that does not resolve is no help.
    }
  }
  return found;
}

/** The message for a web page where a feed was expected. */
export function htmlPageMessage(html: string, pageUrl: string): string {
  const feeds = advertisedFeeds(html, pageUrl);
  const base = "this looks like a web page; find the page's RSS link";
  if (!feeds.length) return base;
  return `${base}: the page points to ${feeds.slice(0, 3).join(', ')}; use that as the feed URL`;
}
