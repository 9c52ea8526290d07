import { whyReport } from '../../matching/why-report.js';
import type { Subcommand } from '../subcommand.js';

/** For admins: what happened to a story (feed, score and reasons, brief, filters, digests). */
export const whySubcommand: Subcommand = {
  name: 'why',
  freeText: true,
  summary: 'what happened to a story: feed, score and reasons, brief, filters, digests',
  usage: 'why <story URL or id>',
  adminOnly: true,
  run(ctx) {
    const target = ctx.args.join(' ').trim().replace(/^<(.+)>$/, '$1');
    if (!target) {
      return { title: 'Why', sections: [{ items: [{ text: `Give a story's URL or id: /${ctx.config.bot.command} why https://…` }] }], tone: 'warning' };
    }
    const store = ctx.services.store;
    if (!store) {
      return {
        title: 'Why',
        intro: 'This session has no database open, so there is no story history to explain.',
        sections: [],
        footer: 'Run dealbot why on the bot’s machine.',
        tone: 'warning',
      };
    }
    return whyReport(target, { store, briefs: ctx.briefs, config: ctx.config });
  },
};
