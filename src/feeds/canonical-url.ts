/**
 * One spelling per article URL, so the same story reached through two feeds, a
 * newsletter link or a social share is recognised as one: host lower-cased and
 * default port dropped (URL does both), fragment removed, tracking parameters
 * removed. Everything else (path case, parameter order, trailing slash) is kept:
 * servers may treat those as different pages.
 */

// Parameters that only say where a click came from, never which page it is.
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  'igshid',
  'igsh',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  '__hssc',
  '__hstc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  'vero_conv',
  'vero_id',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'wt_mc',
  'cmpid',
  'ncid',
  'ocid',
  'sr_share',
  'spm',
  'ref_src',
  'ref_url',
  'at_medium',
  'at_campaign',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'stm_', 'ga_'];

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_PARAMS.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/** The canonical form of an absolute http(s) URL, or null when it is not one. */
export function canonicalUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  // Without a "#" in the input there is no fragment to remove (setting hash re-serializes the URL).
  if (url.includes('#')) u.hash = '';
  if (u.search) {
    // Rebuild by hand rather than with URLSearchParams, which re-encodes the values it keeps.
    const kept = u.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(safeDecode(pair.split('=')[0]!)));
    u.search = kept.length ? `?${kept.join('&')}` : '';
  }
  const host = u.hostname;
  if (host.endsWith('.')) u.hostname = host.slice(0, -1);
  return u.href;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * The spellings under which a link a person pastes (as a feed, a browser or a
 * newsletter gives it) may be stored: its canonical form first, then that form
 * with the path's trailing slash added or removed, since sites serve both and
 * feeds are not consistent about it. Empty when the text is not an http(s) URL.
 */
export function canonicalUrlVariants(url: string): string[] {
  const canonical = canonicalUrl(url);
  if (!canonical) return [];
  const u = new URL(canonical);
  if (u.pathname === '/') return [canonical];
  u.pathname = u.pathname.endsWith('/') ? u.pathname.slice(0, -1) : `${u.pathname}/`;
  return [canonical, u.href];
}
