import type { CommandInvocation } from '../messages/chat-adapter.js';
import type { Config } from '../config/schema.js';

/** Whether the asker is an admin on their platform: by user id, or by one of their roles. */
export function isAdmin(config: Config, invocation: CommandInvocation): boolean {
  const admins = config.admins.platforms[invocation.platform];
  if (!admins) return false;
  return (
    admins.users.includes(invocation.user.id) || (invocation.user.roleIds ?? []).some((r) => admins.roles.includes(r))
  );
}
