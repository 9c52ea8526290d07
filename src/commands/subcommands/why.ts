import { whyReport } from '../why-report.js';
import { requireStore, type Subcommand } from '../subcommand.js';

/** For admins: what happened to a story (feed, score and reasons, brief, filters, digests). */
export const whySubcommand: Subcommand = {
  name: 'why',
  freeText: true,
  summary: 'what happened to a story: feed, score and reasons, brief, filters, digests',
  usage: 'why <story URL or id>',
  adminOnly: true,
  needsStore: true,
  run(ctx) {
    const target = ctx.args
      .join(' ')
      .trim()
      // Chat apps wrap links: <https://…> or <https://…|label>.
      .replace(/^<([^|>]+)(?:\|[^>]*)?>$/, '$1');
    if (!target) {
      return {
        title: 'Why',
        sections: [{ items: [{ text: `Give a story's URL or id: /${ctx.config.bot.command} why https://…` }] }],
        tone: 'warning',
      };
    }
    return whyReport(target, { store: requireStore(ctx), briefs: ctx.briefs, config: ctx.config });
  },
};
