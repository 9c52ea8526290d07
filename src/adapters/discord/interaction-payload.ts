import { z } from 'zod';
import type { SlashCommand, SlashOption } from './interaction-to-invocation.js';

/**
 * The interactions dealbot answers over HTTP, as Discord sends them: PING (type 1,
 * the portal's check when the URL is saved), APPLICATION_COMMAND (2) and
 * APPLICATION_COMMAND_AUTOCOMPLETE (4). Only the fields used are checked; Discord
 * adds fields over time, so the rest pass through unread.
 */

const snowflake = z.string().regex(/^\d{1,20}$/, 'expected a numeric id');
const user = z.looseObject({ id: snowflake, username: z.string() });

const option: z.ZodType<SlashOption> = z.looseObject({
  name: z.string(),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  get options() {
    return z.array(option).optional();
  },
  focused: z.boolean().optional(),
});

const command = z.looseObject({
  type: z.union([z.literal(2), z.literal(4)]),
  id: snowflake,
  application_id: snowflake,
  token: z.string().min(1).max(1000),
  data: z.looseObject({ name: z.string(), options: z.array(option).optional() }),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.looseObject({ id: snowflake }).optional(),
  // In a guild the user is inside member (with its roles); in a DM it is top-level.
  member: z.looseObject({ user, roles: z.array(snowflake) }).optional(),
  user: user.optional(),
});

export const interactionPayloadSchema = z.discriminatedUnion('type', [z.looseObject({ type: z.literal(1) }), command]);

export type InteractionPayload = z.infer<typeof interactionPayloadSchema>;
export type CommandPayload = z.infer<typeof command>;

/** The payload as the SlashCommand both entry points share; null without a user (Discord always sends one). */
export function slashFromPayload(payload: CommandPayload): SlashCommand | null {
  const who = payload.member?.user ?? payload.user;
  if (!who) return null;
  return {
    commandName: payload.data.name,
    options: payload.data.options ?? [],
    user: { id: who.id, username: who.username },
    roleIds: payload.member?.roles ?? [],
    guildId: payload.guild_id ?? null,
    channelId: payload.channel_id ?? payload.channel?.id ?? null,
  };
}
