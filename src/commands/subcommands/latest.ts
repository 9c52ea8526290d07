import { rankOf } from '../../digests/rank-events.js';
import { eventItem } from '../../events/news-event.js';
import { storedEvents, withWholeEvents } from '../stored-events.js';
import { requireStore, type Subcommand } from '../subcommand.js';

const DEFAULT_COUNT = 5;
// A chat answer stays readable on a phone: past this, point to search instead.
const MAX_COUNT = 10;
// How many matched stories are read to find the latest events.
const WINDOW = 300;

/** The latest events matched to the brief, most important first (as digests rank them), each once with its outlets. */
export const latestSubcommand: Subcommand = {
  name: 'latest',
  summary: 'the most recent news matched to the brief, one line per event',
  usage: `latest [n] [brief]`,
  takesBriefArg: true,
  acceptsOtherArgs: true,
  needsStore: true,
  run(ctx) {
    const command = ctx.config.bot.command;
    const asked = ctx.args.map((a) => Number.parseInt(a, 10)).find((n) => Number.isFinite(n) && n > 0);
    const n = Math.min(asked ?? DEFAULT_COUNT, MAX_COUNT);
    const store = requireStore(ctx);
    const decisions = store.matches.forBriefs([ctx.brief.id], { limit: WINDOW });
    const byId = new Map(decisions.map((d) => [d.storyId, d]));
    // Whole events (every stored story of each), ranked as digests rank them: outlets,
    // relevance and recency, so /deal latest and the digest agree on what matters.
    const events = withWholeEvents(storedEvents(store.stories.getMany(decisions.map((d) => d.storyId)), byId), store)
      .map((e) => ({ e, rank: rankOf(e.score, e.newest, e.outlets.length, ctx.now) }))
      .sort((a, b) => b.rank - a.rank || b.e.newest - a.e.newest || a.e.key.localeCompare(b.e.key))
      .map(({ e }) => e);
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
    const shown = events.slice(0, n);
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
