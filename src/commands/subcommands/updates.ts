import { briefCoverage } from '../../digests/brief-coverage-of.js';
import { rankOf } from '../../digests/rank-events.js';
import { eventItem, outletCountOf } from '../../events/news-event.js';
import type { MessageItem } from '../../messages/message.js';
import { fromStoredEvents } from '../../digests/read-events.js';
import { requireStore, type Subcommand } from '../subcommand.js';

const DEFAULT_DAYS = 3;
const MAX_DAYS = 14;
const SHOWN = 8;
// Stored events of the period read at most (newest first).
const WINDOW = 500;

/**
 * For the brief's editors: the events of the last days that are tied to the brief
 * but that none of its entries reports yet, best first (outlets, relevance,
 * recency), so they know what to add. Many outlets covering an event says it
 * happened and matters; it does not corroborate any claim of the brief.
 */
export const updatesSubcommand: Subcommand = {
  name: 'updates',
  summary: 'events of the last days the brief does not cover yet, best first, with their outlets',
  usage: 'updates [days] [brief]',
  adminOnly: true,
  takesBriefArg: true,
  acceptsOtherArgs: true,
  needsStore: true,
  async run(ctx) {
    const command = ctx.config.bot.command;
    const word = ctx.args[0];
    const days = word === undefined ? DEFAULT_DAYS : Number(word);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      return {
        title: 'Updates',
        sections: [
          { items: [{ text: `"${word}" is not a number of days: give 1 to ${MAX_DAYS}, e.g. /${command} updates 7` }] },
        ],
        tone: 'warning',
      };
    }
    const store = requireStore(ctx);
    const since = new Date(ctx.now.getTime() - days * 86_400_000).toISOString();
    const rows = await store.matches.latestEvents({ briefIds: [ctx.brief.id], since, limit: WINDOW });
    // Each with some of its stories: what the brief is compared with.
    const events = await fromStoredEvents(rows, store, true);
    const coverage = briefCoverage(ctx.brief);
    const uncovered = events
      .filter((e) => coverage.entriesFor(e.members.map((m) => m.story)).length === 0)
      .map((e) => ({ e, rank: rankOf(e.score, e.newest, outletCountOf(e), ctx.now) }))
      .sort((a, b) => b.rank - a.rank || b.e.newest - a.e.newest || a.e.key.localeCompare(b.e.key));
    const title = `Updates — ${ctx.brief.title}`;
    const period = days === 1 ? 'the last day' : `the last ${days} days`;
    if (uncovered.length === 0) {
      return {
        title,
        sections: [
          {
            items: [
              {
                text: events.length
                  ? `The brief covers all ${events.length} events tied to it in ${period}.`
                  : `No events were tied to the brief in ${period}.`,
              },
            ],
          },
        ],
      };
    }
    const items: MessageItem[] = uncovered.slice(0, SHOWN).map(({ e }) => eventItem(e, ctx.now));
    const more = uncovered.length - items.length;
    return {
      title,
      intro: `${uncovered.length} of the ${events.length} events tied to the brief in ${period} are not in it yet. Outlets covering an event show it happened; they do not corroborate a claim.`,
      sections: [
        {
          heading: 'New: not in the brief',
          items,
          ...(more > 0
            ? {
                more: {
                  count: more,
                  hint: `/${command} updates ${Math.min(days, MAX_DAYS)} and add the first ones to the brief`,
                },
              }
            : {}),
        },
      ],
    };
  },
};
