/**
 * Digest time zones must name a place ("Asia/Tokyo") or UTC. Node accepts many
 * abbreviations and old aliases too, but reads them in ways people do not mean:
 * "EST" is America/Panama (no daylight saving, so a New York digest would be an
 * hour late all summer), "BST" is Asia/Dhaka, "IST" is Asia/Kolkata. They are
 * refused with the IANA name to write instead.
 */

/** What each abbreviation usually means, for the suggestion. */
const MEANT: Record<string, string> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago (US Central) or Asia/Shanghai (China)',
  CDT: 'America/Chicago',
  MST: 'America/Denver (or America/Phoenix, which has no daylight saving)',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  HKT: 'Asia/Hong_Kong',
  SGT: 'Asia/Singapore',
  IST: 'Asia/Kolkata (India), Europe/Dublin (Ireland) or Asia/Jerusalem (Israel)',
  BST: 'Europe/London',
  WET: 'Europe/Lisbon',
  CET: 'Europe/Paris or Europe/Berlin',
  CEST: 'Europe/Paris or Europe/Berlin',
  MET: 'Europe/Paris or Europe/Berlin',
  EET: 'Europe/Athens or Europe/Helsinki',
  MSK: 'Europe/Moscow',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  ACST: 'Australia/Adelaide',
  AWST: 'Australia/Perth',
  NZST: 'Pacific/Auckland',
  NZDT: 'Pacific/Auckland',
};

const UTC_NAMES = new Set(['UTC', 'GMT', 'ETC/UTC', 'ETC/GMT']);

/** The zone Node reads a name as, or undefined when it knows no such zone. */
function resolvedZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** What is wrong with a digest's time zone, in words, or undefined when it names a place or UTC. */
export function timeZoneProblem(name: string): string | undefined {
  const resolved = resolvedZone(name);
  const meant = MEANT[name.toUpperCase()];
  if (meant) {
    const reading =
      resolved === undefined
        ? ''
        : resolved === meant
          ? ' that Node reads as an old alias'
          : ` that Node reads as ${resolved}, which may not be the place you mean`;
    return `"${name}" is an abbreviation${reading}; write the IANA name of the place, ${meant.includes(' ') ? 'e.g. ' : ''}${quoteNames(meant)}`;
  }
  if (!resolved) return 'expected an IANA time zone such as "Asia/Tokyo" or "America/New_York"';
  if (name.includes('/') || UTC_NAMES.has(name.toUpperCase())) return undefined;
  return resolved.includes('/')
    ? `"${name}" is an old alias; write the IANA name of the place, "${resolved}"`
    : `"${name}" does not name a place; write the IANA name of one, such as "Asia/Tokyo" or "America/New_York", or UTC`;
}

/** 'America/Chicago (US Central) or Asia/Shanghai' → '"America/Chicago" (US Central) or "Asia/Shanghai"'. */
function quoteNames(text: string): string {
  return text.replace(/[A-Z][A-Za-z_]+\/[A-Za-z_/]+/g, (zone) => `"${zone}"`);
}
