/**
 * Feed dates → ISO 8601, or null when unreadable or untrustworthy. Feeds write
 * RFC 822 (RSS), RFC 3339 (Atom), W3C-DTF (dc:date) and many broken variants.
 * JavaScript's Date reads most of them; this adds the time-zone abbreviations it
 * does not know, treats a date-time without a zone as UTC (so the result does not
 * depend on the server's zone) and tolerates common slips.
 *
 * Dates more than a day ahead of `now` are refused: a feed cannot have published
 * something in the future, and such a date (a wrong zone, a mistyped year, an
 * event date put in pubDate) would keep the story at the top of every "newest
 * first" list. The store then uses the first-seen time instead.
 */

const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

// Zones Date.parse does not know (it knows UT, GMT, Z and the US zones).
const ZONES: Record<string, string> = {
  UTC: '+0000',
  WET: '+0000',
  BST: '+0100',
  IST: '+0530',
  CET: '+0100',
  MET: '+0100',
  CEST: '+0200',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  JST: '+0900',
  KST: '+0900',
  HKT: '+0800',
  SGT: '+0800',
  AWST: '+0800',
  ACST: '+0930',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
  HST: '-1000',
  AKST: '-0900',
  AKDT: '-0800',
  NST: '-0330',
  NDT: '-0230',
  AST: '-0400',
  ADT: '-0300',
  BRT: '-0300',
  ART: '-0300',
};

function parseLoose(text: string): number {
  // Runs of whitespace become one space (a lone space is left as it is, uncopied).
  let s = text.trim().replace(/\s{2,}|[^\S ]/g, ' ');
  // Date.parse reads almost anything ("1" is 2001): ask for a year.
  if (!/\d{4}|\b\d{1,2}[ -][A-Za-z]{3,}[ -]\d{2}\b/.test(s)) return NaN;
  // ISO date-time without a zone: UTC rather than the local zone.
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s)) s += 'Z';
  // "2004-02-14 12:00:00" (a space instead of T).
  s = s.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d)/, '$1T$2');
  let t = Date.parse(s);
  if (!Number.isNaN(t)) return t;
  const zoned = s.replace(/\b([A-Z]{3,4})$/, (z) => ZONES[z] ?? z);
  // Day names and "," slips ("Tue, 13 Jan 2004 …", "Tuesday 13 Jan"), "." as a time separator.
  const cleaned = zoned
    .replace(/^[A-Za-z]+,?\s*/, '')
    .replace(/(\d\d)\.(\d\d)(\.(\d\d))?/, (_m, h, m, _s, sec) => `${h}:${m}${sec ? ':' + sec : ''}`);
  t = Date.parse(zoned);
  if (Number.isNaN(t)) t = Date.parse(cleaned);
  return t;
}

/** The first candidate that reads as a trustworthy date, as ISO 8601, else null. */
export function parseFeedDate(candidates: string[], now: Date): string | null {
  for (const text of candidates) {
    const t = parseLoose(text);
    if (Number.isNaN(t)) continue;
    const date = new Date(t);
    const year = date.getUTCFullYear();
    if (year < 1970 || year > 9999) continue;
    if (t > now.getTime() + MAX_AHEAD_MS) return null;
    return date.toISOString();
  }
  return null;
}
