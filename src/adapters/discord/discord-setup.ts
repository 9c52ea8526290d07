import {
  OAuth2Scopes,
  PermissionFlagsBits,
  REST,
  Routes,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/**
 * What the bot needs in a channel, and why: the invite URL asks for exactly these and
 * `dealbot discord-invite --help` lists them, both from this one list. Nothing else.
 */
export const BOT_PERMISSIONS: readonly { name: string; flag: bigint; why: string }[] = [
  { name: 'View Channel', flag: PermissionFlagsBits.ViewChannel, why: 'see the channels it posts digests to' },
  { name: 'Send Messages', flag: PermissionFlagsBits.SendMessages, why: 'post digests, alerts and shared answers' },
  { name: 'Embed Links', flag: PermissionFlagsBits.EmbedLinks, why: 'show answers and digests as embeds' },
  {
    name: 'Read Message History',
    flag: PermissionFlagsBits.ReadMessageHistory,
    why: 'after a crash, find a digest already posted before sending it again',
  },
];

/** The permissions integer the invite URL carries. */
export const BOT_PERMISSION_BITS = BOT_PERMISSIONS.reduce((bits, p) => bits | p.flag, 0n);

/** The bot itself, and the right to register its slash command. */
export const BOT_SCOPES: readonly string[] = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands];

/** The URL a server admin opens to add the bot, with the slash-command scope. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: BOT_SCOPES.join(' '),
    permissions: BOT_PERMISSION_BITS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}

/** The route a registration PUTs to: one guild (instant) or global. */
export function commandsRoute(applicationId: string, guildId?: string): `/${string}` {
  return guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
}

/**
 * Registers the commands with one PUT, which replaces the application's whole set
 * in that scope. Run from `dealbot register-commands`, never on start: Discord
 * limits how many commands may be created per day.
 */
export async function registerCommands(options: {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  body: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}): Promise<{ route: string; registered: { id: string; name: string }[] }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = commandsRoute(options.applicationId, options.guildId);
  const registered = (await rest.put(route, { body: options.body })) as { id: string; name: string }[];
  return { route, registered };
}
