import { MessageFlags, type ChatInputCommandInteraction, type InteractionReplyOptions } from 'discord.js';
import type { DiscordPayload } from './discord-embeds.js';
import type { InteractionResponder } from './slash-answer.js';

/** Answers an interaction that came over the gateway through discord.js's own interaction methods. */
export function gatewayResponder(interaction: ChatInputCommandInteraction): InteractionResponder {
  return {
    reply: async (payload) => void (await interaction.reply(replyOptions(payload))),
    defer: async (ephemeral) => void (await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {})),
    editOriginal: async (payload) => {
      const { flags: _none, ...edit } = replyOptions(payload);
      await interaction.editReply(edit);
    },
    deleteOriginal: () => interaction.deleteReply(),
    followUp: async (payload) => void (await interaction.followUp(replyOptions(payload))),
  };
}

/** The wire payload as discord.js reply options (it sends them back in the wire form). */
function replyOptions(payload: Partial<DiscordPayload>): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return {
    ...(payload.content ? { content: payload.content } : {}),
    embeds: payload.embeds ?? [],
    allowedMentions: { parse: [], repliedUser: false },
    ...(payload.flags ? { flags: MessageFlags.Ephemeral } : {}),
  };
}
