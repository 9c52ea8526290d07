import type { CommandInvocation } from '../adapters/chat-adapter.js';
import type { Config } from '../config/schema.js';

/** Whether the asker is an admin on their platform: by user id, or on Discord by role. */
export function isAdmin(config: Config, invocation: CommandInvocation): boolean {
  const { admins } = config;
  const userId = invocation.user.id;
  switch (invocation.platform) {
    case 'slack':
      return admins.slack.users.includes(userId);
    case 'discord':
      return admins.discord.users.includes(userId) || (invocation.user.roleIds ?? []).some((r) => admins.discord.roles.includes(r));
    case 'terminal':
      return admins.terminal.users.includes(userId);
    default:
      return false;
  }
}
