import type { ChatInputCommandInteraction, GuildMember, APIInteractionGuildMember } from 'discord.js';
import type { CommandInvocation } from '../../messages/chat-adapter.js';
import type { SubcommandSpec } from './command-definitions.js';

/** The parts of a slash command the core needs: which subcommand, and the option values given. */
export interface SlashInput {
  subcommand: string;
  options: ReadonlyMap<string, string | number | boolean>;
}

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

/** The neutral invocation for a Discord slash command, with the member's role ids for the admin check. */
export function invocationFromInteraction(
  interaction: ChatInputCommandInteraction,
  specs: readonly SubcommandSpec[],
): CommandInvocation {
  const options = new Map<string, string | number | boolean>();
  for (const option of interaction.options.data[0]?.options ?? []) {
    if (option.value !== undefined) options.set(option.name, option.value);
  }
  const subcommand = interaction.options.getSubcommand(false) ?? '';
  return {
    platform: 'discord',
    command: interaction.commandName,
    text: slashText({ subcommand, options }, specs),
    user: {
      id: interaction.user.id,
      name: interaction.user.username,
      roleIds: roleIdsOf(interaction.member, interaction.guildId),
    },
    channel: { id: interaction.channelId },
  };
}

/**
 * A cached guild gives a GuildMember, an uncached one the raw member with role ids;
 * both carry the roles Discord sent with the interaction. The guild's own id is the
 * @everyone role, which is nobody's admin role.
 */
export function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null, guildId: string | null): string[] {
  if (!member) return [];
  const ids = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return ids.filter((id) => id !== guildId);
}
