import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  Routes,
  type APIChannel,
  type APIGuildMember,
  type APIOverwrite,
  type APIRole,
  type REST,
} from 'discord.js';
import { ChatPermissionError } from '../../messages/chat-adapter.js';

/**
 * Which Discord permissions the bot lacks in a channel, in words an admin can act
 * on. Discord's own 403 (50001 Missing Access, 50013 Missing Permissions) does not
 * say which permission is missing, and a channel read without Read Message History
 * is not refused at all: it answers an empty list. So the bot works its permissions
 * out from the channel's overwrites and its roles, as Discord does.
 */

export type ChannelAction = 'post' | 'history';

/** What each action needs, in the names the Discord client shows. */
const NEEDS: Record<ChannelAction, readonly { name: string; flag: bigint }[]> = {
  post: [
    { name: 'View Channel', flag: PermissionFlagsBits.ViewChannel },
    { name: 'Send Messages', flag: PermissionFlagsBits.SendMessages },
    { name: 'Embed Links', flag: PermissionFlagsBits.EmbedLinks },
  ],
  history: [
    { name: 'View Channel', flag: PermissionFlagsBits.ViewChannel },
    { name: 'Read Message History', flag: PermissionFlagsBits.ReadMessageHistory },
  ],
};

// Discord's codes for "the bot may not do this here".
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;

const THREADS: readonly number[] = [
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
];

export interface PermissionInputs {
  guildId: string;
  userId: string;
  /** All the guild's roles (the one whose id is the guild id is @everyone). */
  roles: readonly Pick<APIRole, 'id' | 'permissions'>[];
  /** The bot member's roles, @everyone not included (as Discord sends them). */
  memberRoleIds: readonly string[];
  overwrites: readonly APIOverwrite[];
}

/** The bot's permissions in one channel, computed as Discord documents it (roles, then overwrites). */
export function effectivePermissions(p: PermissionInputs): bigint {
  const roleBits = new Map(p.roles.map((r) => [r.id, BigInt(r.permissions)]));
  let bits = roleBits.get(p.guildId) ?? 0n;
  for (const id of p.memberRoleIds) bits |= roleBits.get(id) ?? 0n;
  if (bits & PermissionFlagsBits.Administrator) return ~0n;
  const apply = (allow: bigint, deny: bigint) => (bits = (bits & ~deny) | allow);
  const everyone = p.overwrites.find((o) => o.id === p.guildId);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of p.overwrites) {
    if (o.id !== p.guildId && p.memberRoleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  apply(allow, deny);
  const own = p.overwrites.find((o) => o.id === p.userId);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));
  // Without View Channel nothing else in the channel applies.
  return bits & PermissionFlagsBits.ViewChannel ? bits : 0n;
}

/**
 * The bot's permissions in a channel, read through REST (channel, guild roles, the
 * bot's member). Undefined for a channel outside any guild (a DM): no permissions apply.
 */
export async function fetchChannelPermissions(
  rest: REST,
  channelId: string,
  userId: string,
): Promise<bigint | undefined> {
  let channel = (await rest.get(Routes.channel(channelId))) as APIChannel;
  // A thread takes its permissions from the channel it belongs to.
  if (THREADS.includes(channel.type) && 'parent_id' in channel && channel.parent_id)
    channel = (await rest.get(Routes.channel(channel.parent_id))) as APIChannel;
  const guildId = 'guild_id' in channel ? channel.guild_id : undefined;
  if (!guildId) return undefined;
  const [roles, member] = (await Promise.all([
    rest.get(Routes.guildRoles(guildId)),
    rest.get(Routes.guildMember(guildId, userId)),
  ])) as [APIRole[], APIGuildMember];
  const overwrites = 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
  return effectivePermissions({ guildId, userId, roles, memberRoleIds: member.roles, overwrites });
}

/** The permissions an action needs that these bits lack, by name. */
export function missingFor(action: ChannelAction, bits: bigint): string[] {
  return NEEDS[action].filter((p) => !(bits & p.flag)).map((p) => p.name);
}

/** The error for an action refused for want of these permissions, saying how to grant them. */
export function permissionError(
  action: ChannelAction,
  channelId: string,
  missing: readonly string[],
  cause?: unknown,
): ChatPermissionError {
  const what = action === 'post' ? `post in channel ${channelId}` : `read the history of channel ${channelId}`;
  const why =
    action === 'history'
      ? ' (dealbot reads it after a failed or interrupted post to check whether the post went out before sending it again)'
      : '';
  const list = missing.join(', ');
  return new ChatPermissionError(
    'discord',
    list,
    `Discord: the bot may not ${what}: it lacks ${list}${why}. In Discord, open the channel's settings → Permissions, ` +
      `add the bot (or its role) and allow ${list}; or re-invite it with the URL from npx dealbot discord-invite.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * A Discord 403 (Missing Access, Missing Permissions) as a ChatPermissionError naming
 * what is missing; undefined for any other error. Asks Discord for the bot's
 * permissions to name them exactly, and falls back to what the action needs.
 */
export async function asPermissionError(
  err: unknown,
  action: ChannelAction,
  at: { rest: REST; channelId: string; userId: string | undefined },
): Promise<ChatPermissionError | undefined> {
  if (!(err instanceof DiscordAPIError) || err.status !== 403) return undefined;
  if (err.code !== MISSING_ACCESS && err.code !== MISSING_PERMISSIONS) return undefined;
  let missing: string[] = [];
  if (at.userId) {
    const bits = await fetchChannelPermissions(at.rest, at.channelId, at.userId).catch(() => undefined);
    if (bits !== undefined) missing = missingFor(action, bits);
  }
  if (missing.length === 0)
    // Missing Access: the channel is hidden (or the bot is not in that server); otherwise one of the action's own.
    missing = err.code === MISSING_ACCESS ? ['View Channel'] : NEEDS[action].slice(1).map((p) => p.name);
  return permissionError(action, at.channelId, missing, err);
}
