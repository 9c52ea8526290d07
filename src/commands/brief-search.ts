import { entryToItem } from '../briefs/brief-message.js';
import { SECTION_NAMES, type Brief, type SectionName } from '../briefs/schema.js';
import { QueryMatcher, queryParts } from '../matching/query-terms.js';
import type { MessageItem } from '../messages/message.js';

/** An entry of a brief that holds the query: where it is, how well it matched, and how it reads. */
export interface EntryHit {
  section: SectionName;
  score: number;
  item: MessageItem;
}

/**
 * The entries of a brief holding every part of the query, best first (then in the
 * brief's order). Words are matched as the matcher matches terms (whole words with
 * plurals folded, Japanese and Chinese as substrings), and the brief's term groups
 * let a word in one language find entries written in another (src/matching/query-terms.ts).
 * Items carry their citations and marks, not the editor's note (a search lists, the
 * section answers).
 */
export function searchBrief(brief: Brief, query: string): EntryHit[] {
  const matcher = new QueryMatcher(queryParts(query, brief.matching.groups));
  const hits: EntryHit[] = [];
  for (const section of SECTION_NAMES) {
    for (const entry of brief.sections[section] ?? []) {
      const score = matcher.score([entry.question, entry.date, entry.by, entry.text].filter(Boolean).join('\n'));
      if (score === null) continue;
      const item = entryToItem(brief, entry, { note: false });
      item.label ??= section;
      hits.push({ section, score, item });
    }
  }
  // Array#sort is stable: equal scores keep the brief's order.
  return hits.sort((a, b) => b.score - a.score);
}

/** Where the hits not shown are, as the commands that show them: "/deal facts (4), /deal timeline (2)". */
export function whereTheRestAre(rest: readonly EntryHit[], command: string, briefArg: string): string {
  const counts = new Map<SectionName, number>();
  for (const hit of rest) counts.set(hit.section, (counts.get(hit.section) ?? 0) + 1);
  const order = SECTION_NAMES.filter((s) => counts.has(s));
  if (order.length === 1) return `/${command} ${order[0]}${briefArg}`;
  return order.map((s) => `/${command} ${s}${briefArg} (${counts.get(s)})`).join(', ');
}
