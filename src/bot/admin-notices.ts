import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Message } from '../messages/message.js';
import type { ChatAdapter } from '../messages/chat-adapter.js';

/**
 * Posts to admins.notices. Resolves false when there is nowhere to post (no
 * notices channel, or its platform is not connected), so the poller keeps the
 * notice pending instead of recording it as told; a failed post throws.
 */
export async function postToAdmins(
  config: Config,
  adapters: ChatAdapter[],
  message: Message,
  logger: Logger,
  fallback?: { platform: string; channel: string },
): Promise<boolean> {
  const target = config.admins.notices ?? fallback;
  if (!target) {
    logger.warn(
      { notice: message.title },
      'no admins.notices channel in the config; the notice waits until one is set',
    );
    return false;
  }
  const adapter = adapters.find((a) => a.platform === target.platform);
  if (!adapter) {
    logger.warn(
      { notice: message.title, platform: target.platform },
      'admins.notices names a platform that is not connected; the notice waits',
    );
    return false;
  }
  await adapter.postToChannel(target.channel, message);
  return true;
}
