import type { Subcommand } from '../subcommand.js';

/** Lists the loaded briefs so users know which ids they can pass. */
export const briefsSubcommand: Subcommand = {
  name: 'briefs',
  summary: 'list the briefs this bot knows',
  usage: 'briefs',
  maxArgs: 0,
  run(ctx) {
    const cmd = ctx.config.bot.command;
    return {
      title: 'Briefs',
      sections: [
        {
          items: ctx.briefs.briefs.map((b) => ({
            label: b.id === ctx.briefs.default.id ? `${b.id} (default)` : b.id,
            text: b.title,
            meta: `as of ${b.as_of}`,
          })),
        },
      ],
      footer: `Pick one with /${cmd} facts <brief-id>`,
    };
  },
};
