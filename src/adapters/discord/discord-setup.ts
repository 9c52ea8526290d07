import {
  OAuth2Scopes,
  PermissionFlagsBits,
  REST,
  Routes,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** What the bot needs in a channel: see it, post, and show embeds. Nothing else. */
// Read Message History lets findPosted look for a digest already sent before re-sending it after a crash.
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** The URL a server admin opens to add the bot, with the slash-command scope. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: BOT_PERMISSIONS.toString(),
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
