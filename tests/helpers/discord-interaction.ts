import type { DiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';

/**
 * Real Discord interactions without a gateway. Discord has no public way to inject
 * one, so `deliverInteraction` calls discord.js's private
 * `client.actions.InteractionCreate.handle(raw)` (works on 14.28; the version is
 * pinned with ~). discord.js builds its real ChatInputCommandInteraction from the
 * raw payload and its replies reach the fake server's callback routes. This is the
 * only place tests use that private path.
 */
export function deliverInteraction(adapter: DiscordAdapter, raw: object): void {
  (
    adapter.client as unknown as { actions: { InteractionCreate: { handle(data: object): void } } }
  ).actions.InteractionCreate.handle(raw);
}

/** Ids the payloads use unless told otherwise (the fake server's default bot user is the application). */
export const INTERACTION_DEFAULTS = {
  applicationId: '1100000000000000001',
  guildId: '1200000000000000001',
  channelId: '1200000000000000002',
  userId: '1200000000000000005',
} as const;

/** Option types as Discord numbers them. */
export const OPTION_TYPE = { string: 3, integer: 4, boolean: 5 } as const;

export interface InteractionOption {
  name: string;
  type: number;
  value: unknown;
}

export interface ChatInputPayloadOptions {
  subcommand: string;
  options?: InteractionOption[];
  userId?: string;
  roles?: string[];
  command?: string;
  applicationId?: string;
  guildId?: string;
  channelId?: string;
}

let counter = 0;

/** A CHAT_INPUT interaction (/command subcommand …) as the gateway sends it (INTERACTION_CREATE's d), with a fresh id and token. */
export function chatInputPayload(o: ChatInputPayloadOptions) {
  counter += 1;
  const applicationId = o.applicationId ?? INTERACTION_DEFAULTS.applicationId;
  const guildId = o.guildId ?? INTERACTION_DEFAULTS.guildId;
  const channelId = o.channelId ?? INTERACTION_DEFAULTS.channelId;
  const userId = o.userId ?? INTERACTION_DEFAULTS.userId;
  return {
    id: String(1400000000000000000n + BigInt(counter)),
    application_id: applicationId,
    type: 2,
    token: `interaction-token-${counter}`,
    version: 1,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
    member: {
      user: { id: userId, username: `user${userId.slice(-2)}`, discriminator: '0', global_name: null, avatar: null },
      roles: o.roles ?? [],
      joined_at: '2025-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '2248473465835073',
    },
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    data: {
      id: '1500000000000000001',
      name: o.command ?? 'deal',
      type: 1,
      options: [{ type: 1, name: o.subcommand, options: o.options ?? [] }],
    },
  };
}
