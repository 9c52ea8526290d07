import type { CommandInvocation, CommandSpec } from '../messages/chat-adapter.js';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Brief } from '../briefs/schema.js';
import type { Config } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import type { AsyncStore } from '../store/async-store.js';
import type { Services } from './services.js';

/** Everything a subcommand may use; built per invocation by the engine. */
export interface CommandContext {
  invocation: CommandInvocation;
  /** The words after the subcommand, with the brief id (if one was given) removed. */
  args: string[];
  /** The brief asked for, or the default one. */
  brief: Brief;
  /** The user named the brief (a brief id among the words), rather than getting the default. */
  briefGiven: boolean;
  briefs: BriefRegistry;
  config: Config;
  isAdmin: boolean;
  services: Services;
  now: Date;
}

/** One /deal subcommand: its spec (what platforms may show) and its answer. Each lives in its own file under src/commands/subcommands/. */
export interface Subcommand extends CommandSpec {
  /** Its answers read stored stories or feed states: without a database the engine says so for it. */
  needsStore?: boolean;
  /** How many words it takes at most (beside a brief id and "share"): more are refused, not ignored. */
  maxArgs?: number;
  /** Its line in /deal help for this brief, when the brief changes it (a section's own heading). */
  summaryFor?(brief: Brief): string;
  /** May throw a UsageProblem (src/commands/usage-problem.ts) for words it cannot use. */
  run(ctx: CommandContext): Message | Promise<Message>;
}

/** The store of a needsStore subcommand: the engine has already answered when there is none. */
export function requireStore(ctx: CommandContext): AsyncStore {
  const store = ctx.services.store;
  if (!store) throw new Error('a needsStore subcommand ran without a store');
  return store;
}
