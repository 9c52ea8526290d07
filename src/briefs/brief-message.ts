import type { ClaimMark, Message, MessageItem, MessageSource } from '../messages/message.js';
import { claimStatusOf } from './claim-status.js';
import type { Brief, BriefEntry, SectionName } from './schema.js';

/**
 * Turns a brief's section into the neutral message model. Citations number the
 * brief's sources in the order the brief lists them, so [2] means the same article
 * in every answer and `/deal sources` resolves it.
 */

export const SECTION_TITLES: Record<SectionName, string> = {
  facts: 'Key facts',
  provisions: 'What the agreement provides',
  reactions: 'Reactions',
  impact: 'Impact',
  timeline: 'Timeline',
  takeaways: 'Takeaways',
  faq: 'Questions and answers',
};

export function citationNumbers(brief: Brief, entry: BriefEntry): number[] {
  const nums = entry.sources.map((id) => brief.sources.findIndex((s) => s.id === id) + 1).filter((n) => n > 0);
  return [...new Set(nums)].sort((a, b) => a - b);
}

export function entryToItem(brief: Brief, entry: BriefEntry): MessageItem {
  const marks: ClaimMark[] = [];
  const status = claimStatusOf(brief, entry);
  if (status === 'single-source') marks.push('single-source');
  if (status === 'disputed') marks.push('disputed');
  if (entry.note) marks.push('editor-note');
  const item: MessageItem = { text: entry.text, citations: citationNumbers(brief, entry) };
  if (entry.question) item.label = entry.question;
  else if (entry.date) item.label = entry.date;
  if (entry.by) item.attribution = entry.by;
  if (marks.length) item.marks = marks;
  if (entry.note) item.note = entry.note;
  return item;
}

export function sourcesOf(brief: Brief, only?: Set<number>): MessageSource[] {
  return brief.sources
    .map((s, i) => {
      const source: MessageSource = { n: i + 1, label: `${s.outlet} — ${s.title}${s.date ? ` (${s.date})` : ''}`, note: s.reliability };
      if (s.url) source.url = s.url;
      return source;
    })
    .filter((s) => !only || only.has(s.n));
}

export function sectionMessage(brief: Brief, section: SectionName, command = 'deal'): Message {
  const entries = brief.sections[section] ?? [];
  const items = entries.map((e) => entryToItem(brief, e));
  const cited = new Set(items.flatMap((i) => i.citations ?? []));
  return {
    title: `${SECTION_TITLES[section]} — ${brief.title}`,
    sections: [{ items }],
    sources: sourcesOf(brief, cited),
    footer: `As of ${brief.as_of} · brief "${brief.id}" · /${command} sources for details`,
  };
}
