import type { CommandInvocation } from '../adapters/chat-adapter.js';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Brief } from '../briefs/schema.js';
import type { Config } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import type { Services } from './services.js';

/** Everything a subcommand may use; built per invocation by the engine. */
export interface CommandContext {
  invocation: CommandInvocation;
  /** The words after the subcommand, with the brief id (if one was given) removed. */
  args: string[];
  /** The brief asked for, or the default one. */
  brief: Brief;
  briefs: BriefRegistry;
  config: Config;
  isAdmin: boolean;
  services: Services;
  now: Date;
}

/** One /deal subcommand. Each lives in its own file under src/commands/subcommands/. */
export interface Subcommand {
  name: string;
  /** One line for /deal help. */
  summary: string;
  /** e.g. "search <words> [brief]". */
  usage: string;
  /** Only admins from the config may run it. */
  adminOnly?: boolean;
  /** Whether a trailing brief id picks the brief (lookups do; search words must not be eaten). */
  takesBriefArg?: boolean;
  /** Its words are free text (a search query), so "share" in them is a word, not a request to share. */
  freeText?: boolean;
  /** With takesBriefArg: other words are the subcommand's own (latest's n), not a mistyped brief id. */
  acceptsOtherArgs?: boolean;
  run(ctx: CommandContext): Message | Promise<Message>;
}
