import { SECTION_NAMES, type Brief } from '../../briefs/schema.js';
import { eventItem } from '../../events/news-event.js';
import { storedEvents, withWholeEvents } from '../stored-events.js';
import { normalizeText } from '../../matching/normalize-text.js';
import type { MessageItem, MessageSection } from '../../messages/message.js';
import type { Subcommand } from '../subcommand.js';

const MAX_STORIES = 5;
const MAX_ENTRIES = 3;
// FTS5 results read to fill the events shown (several may be copies of one event).
const FETCH = 60;

/** Ranked search over stored stories (full-text) and the default brief's own entries. */
export const searchSubcommand: Subcommand = {
  name: 'search',
  freeText: true,
  summary: 'search the stored news and the brief, best first',
  usage: 'search <words>',
  run(ctx) {
    const command = ctx.config.bot.command;
    const query = ctx.args.join(' ').trim();
    if (!query) {
      return {
        title: 'Search',
        sections: [{ items: [{ text: `Give some words: /${command} search rare earth magnets` }] }],
        tone: 'warning',
      };
    }
    const sections: MessageSection[] = [];
    const entries = searchBrief(ctx.brief, query);
    if (entries.length) {
      sections.push({
        heading: `In the brief (${ctx.brief.id})`,
        items: entries.slice(0, MAX_ENTRIES).map((e) => e.item),
        ...(entries.length > MAX_ENTRIES
          ? { more: { count: entries.length - MAX_ENTRIES, hint: `/${command} ${entries[MAX_ENTRIES]!.section}` } }
          : {}),
      });
    }
    const store = ctx.services.store;
    let footer: string | undefined;
    if (store) {
      const hits = store.stories.search(query, FETCH);
      const events = storedEvents(hits, store.matches.getMany(hits.map((s) => s.id)));
      if (events.length) {
        const more = events.length - MAX_STORIES;
        sections.push({
          heading: 'News',
          items: withWholeEvents(events.slice(0, MAX_STORIES), store).map((e) => eventItem(e, ctx.now)),
          ...(more > 0
            ? {
                more: {
                  count: more,
                  hint: `add words to narrow the search${hits.length >= FETCH ? ' (more may exist)' : ''}`,
                },
              }
            : {}),
        });
      }
    } else footer = 'Stored news is not searchable here: this session has no database open.';
    if (!sections.length) {
      return {
        title: `Search: ${query}`,
        sections: [{ items: [{ text: 'Nothing found. Try fewer or other words.' }] }],
        ...(footer ? { footer } : {}),
      };
    }
    return { title: `Search: ${query}`, sections, ...(footer ? { footer } : {}) };
  },
};

interface EntryHit {
  section: string;
  score: number;
  item: MessageItem;
}

/** Entries of the brief containing every word of the query (substrings, so Japanese works), most mentions first. */
export function searchBrief(brief: Brief, query: string): EntryHit[] {
  const words = normalizeText(query).toLowerCase().split(' ').filter(Boolean);
  const hits: EntryHit[] = [];
  for (const section of SECTION_NAMES) {
    for (const entry of brief.sections[section] ?? []) {
      const text = normalizeText([entry.question, entry.text, entry.by].filter(Boolean).join(' ')).toLowerCase();
      if (!words.every((w) => text.includes(w))) continue;
      const score = words.reduce((n, w) => n + text.split(w).length - 1, 0);
      const label = entry.question ?? entry.date ?? section;
      hits.push({ section, score, item: { label, text: entry.text, ...(entry.by ? { attribution: entry.by } : {}) } });
    }
  }
  return hits.sort((a, b) => b.score - a.score);
}
