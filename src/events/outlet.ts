import { CJK_CHAR } from '../matching/normalize-text.js';

/**
 * Which outlet a story comes from, and its headline without the outlet's name.
 * Aggregators and some feeds append " - Outlet" or " | Outlet" to titles.
 */

/** What outletOf needs of a story. */
export interface OutletSource {
  title: string;
  url?: string | null;
  feedId?: string;
}

const SEPARATOR = /\s+[-|–—:]\s+(?=[^-|–—:]+$)|\s*\|\s*(?=[^|]+$)/;
/** The title without a trailing " - Outlet" / " | Outlet", and the outlet it named. */
export function splitOutletSuffix(title: string): { core: string; outlet: string | null } {
  // NFKC and folded whitespace only (full-width ｜ becomes |): the core is shown to people, so dashes and case stay as written.
  const t = title.normalize('NFKC').replace(/\s+/g, ' ').trim();
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

/** The outlet of a story: its title's suffix, else its link's host, else its feed. */
export function outletOf(story: OutletSource): string {
  const { outlet } = splitOutletSuffix(story.title);
  if (outlet) return outlet;
  if (story.url) {
    try {
      return new URL(story.url).hostname.replace(/^www\./, '');
    } catch {
      // not a URL: fall through
    }
  }
  return story.feedId ?? 'unknown';
}
