import type { Brief } from '../briefs/schema.js';
import type { Message } from '../messages/message.js';
import type { Subcommand } from './subcommand.js';

/** /deal help: what the bot is about and every subcommand the asker may use. */
export function helpMessage(opts: {
  command: string;
  subcommands: Subcommand[];
  brief: Brief;
  isAdmin: boolean;
  lead?: string;
}): Message {
  const { command, brief, isAdmin } = opts;
  const visible = opts.subcommands.filter((s) => isAdmin || !s.adminOnly);
  return {
    title: `/${command} — ${brief.title}`,
    intro: opts.lead ?? brief.at_a_glance ?? brief.summary,
    sections: [
      {
        heading: 'Commands',
        items: [
          { label: `/${command} help`, text: 'this list' },
          ...visible.map((s) => ({
            label: `/${command} ${s.usage}`,
            text: (s.summaryFor?.(brief) ?? s.summary) + (s.adminOnly ? ' (admins)' : ''),
          })),
        ],
      },
    ],
    footer: `Answers are private to you; add "share" to post one in the channel, e.g. /${command} facts share. Citations like [1] are listed by /${command} sources.`,
  };
}
