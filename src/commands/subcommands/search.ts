import { sourcesFor } from '../../briefs/brief-message.js';
import type { Brief } from '../../briefs/schema.js';
import { eventItem } from '../../events/news-event.js';
import type { MessageSection, MessageSource } from '../../messages/message.js';
import type { StoredDecision } from '../../store/match-repo.js';
import { searchBrief, whereTheRestAre } from '../brief-search.js';
import { eventsOfGroups, hitGroups, type HitGroup } from '../search-events.js';
import type { Subcommand } from '../subcommand.js';
import { UsageProblem } from '../usage-problem.js';

const MAX_STORIES = 5;
const MAX_ENTRIES = 3;
// Full-text results read to rank the events shown (several may be copies of one event).
const FETCH = 200;

/**
 * Searches every brief's entries (or the one named among the words) and the stored
 * news. News comes best first: events matched to a brief, then other relevant ones,
 * then the rest (stories the matcher scored off-topic come last, never first); newest
 * first within each. "… and N more" says where the rest are.
 */
export const searchSubcommand: Subcommand = {
  name: 'search',
  freeText: true,
  takesBriefArg: true,
  acceptsOtherArgs: true,
  summary: 'search the stored news and the briefs, best first',
  usage: 'search <words> [brief]',
  async run(ctx) {
    const command = ctx.config.bot.command;
    const query = ctx.args.join(' ').trim();
    const inBrief = ctx.briefGiven ? ` ${ctx.brief.id}` : '';
    if (!query) {
      throw new UsageProblem('Search for what?', [`Give some words: /${command} search rare earth magnets${inBrief}`]);
    }
    const store = ctx.services.store;
    // Asked first: a network database looks while the briefs are searched here.
    const hitsAsked = store?.stories.search(query, FETCH);
    // Settled at once if the briefs' search throws, so a failed search is never left unhandled.
    hitsAsked?.catch(() => undefined);
    const briefs = ctx.briefGiven
      ? [ctx.brief]
      : [ctx.briefs.default, ...ctx.briefs.briefs.filter((b) => b.id !== ctx.briefs.default.id)];
    const sections: MessageSection[] = [];
    const citing: { brief: Brief; sources: MessageSource[] }[] = [];
    for (const brief of briefs) {
      const entries = searchBrief(brief, query);
      if (!entries.length) continue;
      const shown = entries.slice(0, MAX_ENTRIES).map((e) => e.item);
      const rest = entries.slice(MAX_ENTRIES);
      const briefArg = brief.id === ctx.briefs.default.id ? '' : ` ${brief.id}`;
      sections.push({
        heading: `In the brief (${brief.id})`,
        items: shown,
        ...(rest.length ? { more: { count: rest.length, hint: whereTheRestAre(rest, command, briefArg) } } : {}),
      });
      citing.push({ brief, sources: sourcesFor(brief, shown) });
    }

    const footers: string[] = [];
    if (store && hitsAsked) {
      // Hits and their decisions first (ids and times only); stories are read for the events shown.
      const hits = await hitsAsked;
      const decisions = await store.matches.getMany(hits.map((h) => h.id));
      const groups = searchOrder(hitGroups(hits, decisions), decisions, ctx.briefGiven ? ctx.brief.id : null);
      if (groups.length) {
        const more = groups.length - MAX_STORIES;
        const shown = await eventsOfGroups(groups.slice(0, MAX_STORIES), decisions, store);
        sections.push({
          heading: 'News',
          items: shown.map((e) => eventItem(e, ctx.now)),
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
    } else footers.push('Stored news is not searchable here: this session has no database open.');

    const title = ctx.briefGiven ? `Search in ${ctx.brief.id}: ${query}` : `Search: ${query}`;
    // Citation numbers are per brief: list the sources when one brief answered, else say where they are.
    const sources = citing.length === 1 ? citing[0]!.sources : [];
    if (citing.length > 1)
      footers.unshift(`Citations such as [1] are per brief: /${command} sources <brief> lists them.`);
    const footer = footers.length ? { footer: footers.join('\n') } : {};
    if (!sections.length) {
      return { title, sections: [{ items: [{ text: 'Nothing found. Try fewer or other words.' }] }], ...footer };
    }
    return { title, sections, ...(sources.length ? { sources } : {}), ...footer };
  },
};

/** 0: matched to a brief (the one searched, when named); 1: relevant; 2: the rest. */
function tierOf(group: HitGroup, decisions: Map<string, StoredDecision>, briefId: string | null): number {
  const own = group.ids.map((id) => decisions.get(id));
  if (own.some((d) => d?.briefId && (briefId === null || d.briefId === briefId))) return 0;
  return own.some((d) => d?.relevant) ? 1 : 2;
}

/** Best first: matched to a brief, then relevant, then the rest; newest first within each, then the more relevant. */
export function searchOrder(
  groups: HitGroup[],
  decisions: Map<string, StoredDecision>,
  briefId: string | null,
): HitGroup[] {
  const tiers = new Map(groups.map((g) => [g, tierOf(g, decisions, briefId)]));
  return [...groups].sort((a, b) => tiers.get(a)! - tiers.get(b)! || b.newest - a.newest || b.score - a.score);
}
