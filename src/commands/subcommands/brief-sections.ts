import { sectionHeading, sectionMessage } from '../../briefs/brief-message.js';
import { SECTION_NAMES, type SectionName } from '../../briefs/schema.js';
import type { Subcommand } from '../subcommand.js';

/** The help lines for briefs that keep the default headings (a trade agreement's). */
const SUMMARIES: Record<SectionName, string> = {
  facts: 'the key facts, each with its sources and how firm it is',
  provisions: 'what the agreement provides',
  reactions: 'what the leaders, governments and markets said',
  impact: 'what it changes, for whom',
  timeline: 'the dates that matter',
  takeaways: 'what to remember',
  faq: 'common questions, answered',
};

/** One lookup subcommand per brief section: /deal facts, /deal reactions, … */
export const sectionSubcommands: Subcommand[] = SECTION_NAMES.map((section) => ({
  name: section,
  summary: SUMMARIES[section],
  // A brief that names its own heading ("Export controls") is described by it, not by the default's words.
  summaryFor: (brief) => {
    const own = brief.headings?.[section];
    if (!own) return SUMMARIES[section];
    // "Export controls" reads as "export controls" after the colon; "US measures" keeps its acronym.
    return /^\p{Lu}\p{Ll}/u.test(own) ? own.charAt(0).toLowerCase() + own.slice(1) : own;
  },
  usage: `${section} [brief]`,
  takesBriefArg: true,
  run(ctx) {
    const message = sectionMessage(ctx.brief, section, ctx.config.bot.command);
    if (message.sections.every((s) => s.items.length === 0)) {
      return {
        title: `${sectionHeading(ctx.brief, section)} — ${ctx.brief.title}`,
        sections: [
          {
            items: [
              {
                text: `This brief has no ${section} section yet. Try /${ctx.config.bot.command} help for what it has.`,
              },
            ],
          },
        ],
        tone: 'warning',
      };
    }
    return message;
  },
}));
