import type { CliCommand } from './cli-command.js';

/**
 * Every `dealbot` subcommand, loaded only when it runs: `dealbot ask` must not pay
 * for loading the Slack and Discord SDKs that `run` needs. Add a command by adding
 * its file under commands/ and a line here.
 */
const LOADERS: Record<string, () => Promise<CliCommand>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  ask: async () => (await import('./commands/ask.js')).askCommand,
  'check-config': async () => (await import('./commands/check-config.js')).checkConfigCommand,
  'config-schema': async () => (await import('./commands/config-schema.js')).configSchemaCommand,
  poll: async () => (await import('./commands/poll.js')).pollCommand,
  feeds: async () => (await import('./commands/feeds.js')).feedsCommand,
  ingest: async () => (await import('./commands/ingest.js')).ingestCommand,
  match: async () => (await import('./commands/match.js')).matchCommand,
  why: async () => (await import('./commands/why.js')).whyCommand,
  digest: async () => (await import('./commands/digest.js')).digestCommand,
  health: async () => (await import('./commands/health.js')).healthCommand,
  'slack-manifest': async () => (await import('./commands/slack-manifest.js')).slackManifestCommand,
  'register-commands': async () => (await import('./commands/register-commands.js')).registerCommandsCommand,
  'discord-invite': async () => (await import('./commands/discord-invite.js')).discordInviteCommand,
  'migrate-store': async () => (await import('./commands/migrate-store.js')).migrateStoreCommand,
};

export const CLI_COMMAND_NAMES = Object.keys(LOADERS);

export function loadCliCommand(name: string): Promise<CliCommand> | undefined {
  return Object.hasOwn(LOADERS, name) ? LOADERS[name]!() : undefined;
}

/** All commands, for `dealbot help`. */
export function loadAllCliCommands(): Promise<CliCommand[]> {
  return Promise.all(CLI_COMMAND_NAMES.map((name) => LOADERS[name]!()));
}
