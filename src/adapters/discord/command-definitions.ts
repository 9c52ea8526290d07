import {
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { CommandSpec } from '../../messages/chat-adapter.js';

/**
 * The /deal command as Discord sees it, built from the core's subcommand registry
 * so a subcommand added to the core appears in Discord after register-commands.
 * The same specs map an interaction back to the core's text form.
 */

export interface OptionSpec {
  kind: 'string' | 'integer' | 'boolean';
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  min?: number;
  max?: number;
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
}

/** Discord's rules for command and option names and descriptions. */
export const NAME_PATTERN = /^[-_\p{L}\p{N}]{1,32}$/u;
export const DESCRIPTION_MAX = 100;
const MAX_SUBCOMMANDS = 25;

/** The options of subcommands whose words are known; others get a free-text `args` if their usage shows any. */
// latest's cap is the core's LATEST_MAX (src/commands/subcommands/latest.ts); a test checks they agree.
const KNOWN_OPTIONS: Record<string, OptionSpec[]> = {
  latest: [{ kind: 'integer', name: 'n', description: 'How many stories to show (1–10)', min: 1, max: 10 }],
  search: [{ kind: 'string', name: 'query', description: 'Words to look for in the stories', required: true }],
  why: [{ kind: 'string', name: 'target', description: 'The story or claim to explain (an id or a few words)' }],
  updates: [{ kind: 'integer', name: 'days', description: 'How many days back to look (1–14)', min: 1, max: 14 }],
};

export const BRIEF_OPTION: OptionSpec = {
  kind: 'string',
  name: 'brief',
  description: "Which brief (default: the bot's default brief)",
  autocomplete: true,
};
export const SHARE_OPTION: OptionSpec = {
  kind: 'boolean',
  name: 'share',
  description: 'Post the answer in the channel instead of only to you',
};

/** The subcommands, with their options, in the order /deal help lists them; `help` comes last. */
export function subcommandSpecs(subcommands: readonly CommandSpec[]): SubcommandSpec[] {
  const specs = subcommands.map((sub): SubcommandSpec => {
    const own = (KNOWN_OPTIONS[sub.name] ?? argsOption(sub)).map((o) => ({
      ...o,
      required: o.required ?? requiredByUsage(sub),
    }));
    const options = [...own, ...(sub.takesBriefArg ? [BRIEF_OPTION] : []), SHARE_OPTION];
    // Discord refuses a required option after an optional one.
    options.sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
    // A summary may already say "(admins)"; say it once, after any cut.
    const summary = sub.summary.replace(/\s*\(admins\)\s*$/, '');
    return { name: sub.name, description: describe(summary, sub.adminOnly ? ' (admins)' : ''), options };
  });
  specs.push({ name: 'help', description: 'What this bot can do and how to ask', options: [SHARE_OPTION] });
  const names = specs.map((s) => s.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length)
    throw new Error(`subcommand names must be unique for Discord; listed twice: ${[...new Set(twice)].join(', ')}`);
  if (specs.length > MAX_SUBCOMMANDS)
    throw new Error(`Discord allows ${MAX_SUBCOMMANDS} subcommands per command; the registry has ${specs.length}`);
  return specs;
}

/** The JSON body of one chat-input command, as PUT to Discord. The builders check names and lengths. */
export function commandDefinition(
  command: string,
  subcommands: readonly CommandSpec[],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder().setName(command).setDescription('Ask about the story this bot follows');
  for (const spec of subcommandSpecs(subcommands)) {
    builder.addSubcommand((sc) => addOptions(sc.setName(spec.name).setDescription(spec.description), spec.options));
  }
  return builder.toJSON();
}

function addOptions(sc: SlashCommandSubcommandBuilder, options: OptionSpec[]): SlashCommandSubcommandBuilder {
  for (const o of options) {
    if (o.kind === 'boolean')
      sc.addBooleanOption((b) => b.setName(o.name).setDescription(o.description).setRequired(Boolean(o.required)));
    else if (o.kind === 'integer')
      sc.addIntegerOption((b) => {
        b.setName(o.name).setDescription(o.description).setRequired(Boolean(o.required));
        if (o.min !== undefined) b.setMinValue(o.min);
        if (o.max !== undefined) b.setMaxValue(o.max);
        return b;
      });
    else
      sc.addStringOption((b) =>
        b
          .setName(o.name)
          .setDescription(o.description)
          .setRequired(Boolean(o.required))
          .setAutocomplete(Boolean(o.autocomplete)),
      );
  }
  return sc;
}

/** Words in the usage beyond the subcommand and [brief], e.g. "feeds [add <url>]": one free-text option. */
function argsOption(sub: CommandSpec): OptionSpec[] {
  const rest = usageRest(sub);
  return rest ? [{ kind: 'string', name: 'args', description: describe(`The words after /${sub.name}: ${rest}`) }] : [];
}

/** A first own argument written <like-this> in the usage is required; [like-this] is not. */
function requiredByUsage(sub: CommandSpec): boolean {
  return usageRest(sub).startsWith('<');
}

function usageRest(sub: CommandSpec): string {
  return sub.usage
    .replace(new RegExp(`^${sub.name}\\b`), '')
    .replace(/\[brief\]/g, '')
    .trim();
}

/** A description within 100 characters; the suffix (" (admins)") survives the cut. */
function describe(text: string, suffix = ''): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const capital = clean.charAt(0).toUpperCase() + clean.slice(1);
  const room = DESCRIPTION_MAX - suffix.length;
  return (capital.length <= room ? capital : `${capital.slice(0, room - 1).trimEnd()}…`) + suffix;
}
