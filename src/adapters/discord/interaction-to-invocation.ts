import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  GuildMember,
  APIInteractionGuildMember,
} from 'discord.js';
import type { CommandInvocation } from '../../messages/chat-adapter.js';
import type { SubcommandSpec } from './command-definitions.js';

/** The parts of a slash command the core needs: which subcommand, and the option values given. */
export interface SlashInput {
  subcommand: string;
  options: ReadonlyMap<string, string | number | boolean>;
}

/** An option as Discord sends it: a subcommand (type 1) holds the options the user filled in. */
export interface SlashOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: readonly SlashOption[] | undefined;
  /** Autocomplete: the option the user is typing in. */
  focused?: boolean | undefined;
}

/**
 * A slash command (or its autocomplete) as both entry points see it: the gateway's
 * discord.js interaction and the HTTP endpoint's raw payload are each reduced to
 * this, and everything after (invocation, autocomplete) is one code path.
 */
export interface SlashCommand {
  commandName: string;
  /** The top-level options: the subcommand, with the values inside it. */
  options: readonly SlashOption[];
  user: { id: string; username: string };
  /** The role ids Discord sent with the member, @everyone (the guild id) included; none in DMs. */
  roleIds: readonly string[];
  guildId: string | null;
  channelId: string | null;
}

/** Discord's option type of a subcommand. */
const SUBCOMMAND = 1;

/**
 * The core's text form of a slash command: "facts us-japan-rare-earths-2025",
 * "search rare earth", plus "share" when share:true. Values follow the order of the
 * subcommand's options, so the engine parses them as if typed in a terminal.
 */
export function slashText(input: SlashInput, specs: readonly SubcommandSpec[]): string {
  const spec = specs.find((s) => s.name === input.subcommand);
  const words = [input.subcommand];
  for (const option of spec?.options ?? []) {
    if (option.kind === 'boolean') continue;
    const value = input.options.get(option.name);
    // One line: a pasted newline must not split the command.
    if (value !== undefined && value !== '') words.push(String(value).replace(/\s+/g, ' ').trim());
  }
  if (input.options.get('share') === true) words.push('share');
  return words.filter(Boolean).join(' ');
}

/** The subcommand's name and its option values. */
export function slashInput(command: SlashCommand): SlashInput {
  const sub = command.options[0];
  const options = new Map<string, string | number | boolean>();
  for (const option of sub?.options ?? []) {
    if (option.value !== undefined) options.set(option.name, option.value);
  }
  return { subcommand: sub?.type === SUBCOMMAND ? sub.name : '', options };
}

/** The neutral invocation for a Discord slash command, with the member's role ids for the admin check. */
export function invocationFromSlash(command: SlashCommand, specs: readonly SubcommandSpec[]): CommandInvocation {
  return {
    platform: 'discord',
    command: command.commandName,
    text: slashText(slashInput(command), specs),
    user: {
      id: command.user.id,
      name: command.user.username,
      // The guild's own id is the @everyone role, which is nobody's admin role.
      roleIds: command.roleIds.filter((id) => id !== command.guildId),
    },
    channel: { id: command.channelId ?? '' },
  };
}

/** The option an autocomplete request is for (name and what was typed so far), if any. */
export function focusedOption(command: SlashCommand): { name: string; typed: string } | undefined {
  const search = (options: readonly SlashOption[]): SlashOption | undefined => {
    for (const option of options) {
      if (option.focused) return option;
      const inner = option.options && search(option.options);
      if (inner) return inner;
    }
    return undefined;
  };
  const focused = search(command.options);
  return focused ? { name: focused.name, typed: String(focused.value ?? '') } : undefined;
}

/** The gateway's discord.js interaction as a SlashCommand. */
export function slashFromInteraction(interaction: ChatInputCommandInteraction | AutocompleteInteraction): SlashCommand {
  return {
    commandName: interaction.commandName,
    options: interaction.options.data,
    user: { id: interaction.user.id, username: interaction.user.username },
    roleIds: roleIdsOf(interaction.member),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  };
}

/**
 * A cached guild gives a GuildMember, an uncached one the raw member with role ids;
 * both carry the roles Discord sent with the interaction.
 */
function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}
