import { sourcesOf } from '../../briefs/brief-message.js';
import type { Subcommand } from '../subcommand.js';

/** Resolves the [n] citations: every source of the brief with its reliability note. */
export const sourcesSubcommand: Subcommand = {
  name: 'sources',
  summary: 'the articles the brief rests on, numbered as cited, with reliability notes',
  usage: 'sources [brief]',
  takesBriefArg: true,
  run(ctx) {
    const sources = sourcesOf(ctx.brief);
    return {
      title: `Sources — ${ctx.brief.title}`,
      sections: [
        {
          items: sources.map((s) => {
            const item = { label: `[${s.n}]`, text: s.label, meta: s.note, ...(s.url ? { url: s.url } : {}) };
            return item;
          }),
        },
      ],
      footer: `As of ${ctx.brief.as_of} · citations such as [1] in other answers point here`,
    };
  },
};
