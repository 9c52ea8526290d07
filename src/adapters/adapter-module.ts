import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { ChatAdapter, CommandSpec } from '../messages/chat-adapter.js';
import type { Message } from '../messages/message.js';

/** What the composition root gives an adapter factory. */
export interface AdapterDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  getConfig: () => Config;
  /** The live briefs (Discord's brief autocomplete); optional so a factory works without them. */
  getBriefs?: () => BriefRegistry;
  /** The core's subcommands, for platforms that declare them (Discord's slash command options). */
  commands: readonly CommandSpec[];
  /** The bot's health, for a platform that serves HTTP (Slack's HTTP mode answers GET /healthz with it). */
  health?: HealthProbe;
}

/** The bot's health now: whether it is healthy and one line saying why (see src/bot/assess-health.ts). */
export type HealthProbe = () => { healthy: boolean; line: string };

/**
 * One platform's entry point. Each folder under src/adapters/ exports one; the
 * composition root starts every adapter whose environment is set, so adding a
 * platform means adding a folder and a line in adapters/index.ts.
 */
export interface AdapterModule {
  platform: string;
  /** The adapter if its tokens are in the environment, else null. Throws on a half-set environment. */
  fromEnv(deps: AdapterDeps): ChatAdapter | null;
  /** The exact payload the platform would be sent for this message (for `dealbot ask --render`). */
  render(message: Message, options: { visibility: 'private' | 'channel' }): unknown;
  /** One line telling a newcomer how to connect this platform. */
  connectHint: string;
}
