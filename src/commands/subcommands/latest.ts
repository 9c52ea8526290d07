import { eventItem } from '../../events/news-event.js';
import { storedEvents, withWholeEvents } from '../stored-events.js';
import { requireStore, type Subcommand } from '../subcommand.js';

const DEFAULT_COUNT = 5;
// A chat answer stays readable on a phone: past this, point to search instead.
const MAX_COUNT = 10;
// How many matched stories are read to find the latest events.
const WINDOW = 300;

/** The most recent events matched to the brief, each shown once with "also covered by". */
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
    const events = storedEvents(store.stories.getMany(decisions.map((d) => d.storyId)), byId).sort(
      (a, b) => b.newest - a.newest,
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
    const shown = withWholeEvents(events.slice(0, n), store);
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
