import type { AdapterModule } from '../adapter-module.js';
import { DiscordAdapter } from './discord-adapter.js';
import { renderDiscordMessage } from './discord-embeds.js';
import { parseDiscordEnv } from './discord-env.js';

/**
 * Discord: on when DISCORD_TOKEN is set; a half-set environment is an error at start.
 * DISCORD_PUBLIC_KEY adds the HTTP interactions endpoint; the composition root's
 * leases (replicas on one database) make the gateway one replica's at a time.
 */
export const discordModule: AdapterModule = {
  platform: 'discord',
  fromEnv(deps) {
    const env = parseDiscordEnv(deps.env);
    if (!env) return null;
    return new DiscordAdapter({
      token: env.token,
      ...(env.apiUrl ? { apiUrl: env.apiUrl } : {}),
      logger: deps.logger,
      getConfig: deps.getConfig,
      commands: deps.commands,
      ...(deps.getBriefs ? { getBriefs: deps.getBriefs } : {}),
      ...(env.interactions ? { interactions: env.interactions } : {}),
      ...(deps.health ? { health: deps.health } : {}),
      ...(deps.leases ? { gatewayLease: deps.leases } : {}),
    });
  },
  render: (message, { visibility }) => renderDiscordMessage(message, { visibility }),
  connectHint:
    'Discord: set DISCORD_TOKEN, then npx dealbot register-commands and npx dealbot discord-invite (docs/discord.md).',
};

export { DiscordAdapter };
