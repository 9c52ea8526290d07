import type { ClaimMark, Message, MessageItem, MessageSource } from '../messages/message.js';
import { claimStatusOf } from './claim-status.js';
import type { Brief, BriefEntry, SectionName } from './schema.js';

/**
 * Turns a brief's section into the neutral message model. Citations number the
 * brief's sources in the order the brief lists them, so [2] means the same article
 * in every answer and `/deal sources` resolves it. Editors' words for a source
 * ("article 003", "seed-003") reach readers as that number.
 */

/** The default headings; a brief may name its own (`headings:` in the brief). */
export const SECTION_TITLES: Record<SectionName, string> = {
  facts: 'Key facts',
  provisions: 'What the agreement provides',
  reactions: 'Reactions',
  impact: 'Impact',
  timeline: 'Timeline',
  takeaways: 'Takeaways',
  faq: 'Questions and answers',
};

/** What readers see for a source whose outlet the brief does not know. */
export const UNKNOWN_OUTLET = 'Outlet unknown';

/** The heading of a section in this brief: its own if it names one, else the default. */
export function sectionHeading(brief: Brief, section: SectionName): string {
  return brief.headings?.[section] ?? SECTION_TITLES[section];
}

export function citationNumbers(brief: Brief, entry: BriefEntry): number[] {
  const nums = entry.sources.map((id) => brief.sources.findIndex((s) => s.id === id) + 1).filter((n) => n > 0);
  return [...new Set(nums)].sort((a, b) => a - b);
}

/** Text for readers: every source an editor names by id, or as "article <end of its id>", becomes its citation number. */
export interface ReaderText {
  text: string;
  /** The citation numbers named in it. */
  mentioned: number[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * "Only article 003 gives this date" → "Only article [2] gives this date"; "seed-003" → "[2]"
 * (an id with a digit or "-", "_", "."; a plain-word id is cited only after "article" or "source").
 * After "article" or "source", a word names a source when it is the source's id or the
 * last part of exactly one id (003 for seed-003, after "-", "_" or "."), so the editors'
 * shorthand for their seed articles works without a list of names.
 */
export function readerText(brief: Brief, text: string): ReaderText {
  const numberOf = new Map(brief.sources.map((s, i) => [s.id, i + 1]));
  const mentioned = new Set<number>();
  const cite = (id: string) => {
    const n = numberOf.get(id)!;
    mentioned.add(n);
    return `[${n}]`;
  };
  const byTail = (word: string): string | undefined => {
    if (numberOf.has(word)) return word;
    const lower = word.toLowerCase();
    const ids = [...numberOf.keys()].filter((id) => /[-_.]/.test(id.charAt(id.length - lower.length - 1)));
    const found = ids.filter((id) => id.endsWith(lower));
    return found.length === 1 ? found[0] : undefined;
  };
  let out = text.replace(
    /\b(articles?|sources?)(\s+)([A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z0-9])/gi,
    (m, word, space, ref) => {
      const id = byTail(ref as string);
      return id ? `${word}${space}${cite(id)}` : m;
    },
  );
  // Whole ids anywhere ("seed-003 says"), longest first so "a-1" never eats part of "a-10";
  // only ids that cannot be an ordinary word (a source called "wire" stays a word in "wire service").
  const ids = [...numberOf.keys()].filter((id) => /[-_.\d]/.test(id)).sort((a, b) => b.length - a.length);
  if (ids.length) {
    const whole = new RegExp(`(?<![\\w.-])(${ids.map(escapeRegExp).join('|')})(?![\\w-]|\\.\\w)`, 'g');
    out = out.replace(whole, (id) => cite(id));
  }
  return { text: out, mentioned: [...mentioned].sort((a, b) => a - b) };
}

const MARK_OF: Partial<Record<ReturnType<typeof claimStatusOf>, ClaimMark>> = {
  'single-source': 'single-source',
  disputed: 'disputed',
  corrected: 'corrected',
};

/** An entry as readers see it; `note: false` leaves the editor's note out (a search result list). */
export function entryToItem(brief: Brief, entry: BriefEntry, options: { note?: boolean } = {}): MessageItem {
  const withNote = Boolean(entry.note) && options.note !== false;
  const marks: ClaimMark[] = [];
  const mark = MARK_OF[claimStatusOf(entry)];
  if (mark) marks.push(mark);
  if (withNote) marks.push('editor-note');
  const citations = citationNumbers(brief, entry);
  const mentioned = new Set<number>();
  const read = (text: string) => {
    const r = readerText(brief, text);
    r.mentioned.forEach((n) => mentioned.add(n));
    return r.text;
  };
  const item: MessageItem = { text: read(entry.text), citations };
  if (entry.question) item.label = read(entry.question);
  else if (entry.date) item.label = read(entry.date);
  if (entry.by) item.attribution = read(entry.by);
  if (marks.length) item.marks = marks;
  if (withNote) item.note = read(entry.note!);
  const mentions = [...mentioned].filter((n) => !citations.includes(n)).sort((a, b) => a - b);
  if (mentions.length) item.mentions = mentions;
  return item;
}

export function sourcesOf(brief: Brief, only?: Set<number>): MessageSource[] {
  return brief.sources
    .map((s, i) => {
      const source: MessageSource = {
        n: i + 1,
        label: `${s.outlet ?? UNKNOWN_OUTLET} — ${s.title}${s.date ? ` (${s.date})` : ''}`,
        note: readerText(brief, s.reliability).text,
      };
      if (s.url) source.url = s.url;
      return source;
    })
    .filter((s) => !only || only.has(s.n));
}

/** The sources the items cite or name, for the list under an answer. */
export function sourcesFor(brief: Brief, items: readonly MessageItem[]): MessageSource[] {
  return sourcesOf(brief, new Set(items.flatMap((i) => [...(i.citations ?? []), ...(i.mentions ?? [])])));
}

export function sectionMessage(brief: Brief, section: SectionName, command = 'deal'): Message {
  const entries = brief.sections[section] ?? [];
  const items = entries.map((e) => entryToItem(brief, e));
  return {
    title: `${sectionHeading(brief, section)} — ${brief.title}`,
    sections: [{ items }],
    sources: sourcesFor(brief, items),
    footer: `As of ${brief.as_of} · brief "${brief.id}" · /${command} sources for details`,
  };
}
