import { eventItem } from '../../events/news-event.js';
import { fromStoredEvents, rankStoredEvents } from '../../digests/read-events.js';
import { closestMatch } from '../../files/closest-match.js';
import { requireStore, type Subcommand } from '../subcommand.js';
import { UsageProblem } from '../usage-problem.js';

const DEFAULT_COUNT = 5;
/** A chat answer stays readable on a phone: past this, point to search instead. Discord's `n` option has the same cap. */
export const LATEST_MAX = 10;
const MAX_COUNT = LATEST_MAX;
// How many of the brief's newest stored events are ranked to find the ones shown.
const WINDOW = 120;

/** The latest events matched to the brief, most important first (as digests rank them), each once with its outlets. */
export const latestSubcommand: Subcommand = {
  name: 'latest',
  summary: 'the most recent news matched to the brief, one line per event',
  usage: `latest [n] [brief]`,
  takesBriefArg: true,
  acceptsOtherArgs: true,
  needsStore: true,
  async run(ctx) {
    const command = ctx.config.bot.command;
    const n = countAsked(ctx.args, ctx.briefs.ids(), command);
    const store = requireStore(ctx);
    // The brief's newest events as stored (one indexed query), ranked as digests rank them
    // (outlets, relevance, recency) so /deal latest and the digest agree on what matters;
    // only the leads of the events shown are read.
    const events = rankStoredEvents(
      await store.matches.latestEvents({ briefIds: [ctx.brief.id], limit: WINDOW }),
      ctx.now,
    );
    if (events.length === 0) {
      return {
        title: `Latest — ${ctx.brief.title}`,
        sections: [
          {
            items: [{ text: 'No stories have matched this brief yet. New ones appear here as the feeds bring them.' }],
          },
        ],
      };
    }
    const shown = await fromStoredEvents(events.slice(0, n), store);
    const more = events.length - shown.length;
    const briefArg = ctx.brief.id === ctx.briefs.default.id ? '' : ` ${ctx.brief.id}`;
    return {
      title: `Latest — ${ctx.brief.title}`,
      sections: [
        {
          items: shown.map((e) => eventItem(e, ctx.now)),
          ...(more > 0
            ? {
                more: {
                  count: more,
                  hint:
                    n < MAX_COUNT
                      ? `/${command} latest ${MAX_COUNT}${briefArg}`
                      : `/${command} search <words> for older ones`,
                },
              }
            : {}),
        },
      ],
    };
  },
};

/**
 * The n of "/deal latest n": a whole number from 1 to LATEST_MAX, or the default when
 * none is given. Anything else is refused with what n may be ("abc", "0", "-3", "25", "2 3").
 */
function countAsked(args: readonly string[], briefIds: readonly string[], command: string): number {
  if (args.length === 0) return DEFAULT_COUNT;
  const range = `n is a whole number from 1 to ${MAX_COUNT} (default ${DEFAULT_COUNT})`;
  if (args.length > 1)
    throw new UsageProblem(`Too many words for /${command} latest`, [
      `It takes one number and, if you like, a brief id; you wrote "${args.join(' ')}". ${range}.`,
    ]);
  const word = args[0]!;
  const n = /^[+-]?\d+$/.test(word) ? Number(word) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_COUNT) return n;
  if (Number.isNaN(n)) {
    const guess = closestMatch(word, briefIds);
    throw new UsageProblem(`"${word}" is not a number of stories or a brief id`, [
      `${range}, e.g. /${command} latest 3.`,
      ...(guess ? [`Did you mean /${command} latest ${guess}?`] : []),
    ]);
  }
  throw new UsageProblem(`/${command} latest ${word}: ${range}`, [
    n > MAX_COUNT ? `For older stories, /${command} search <words>.` : `Try /${command} latest ${DEFAULT_COUNT}.`,
  ]);
}
