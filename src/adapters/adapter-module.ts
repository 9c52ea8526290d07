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
  /**
   * Leases shared by the replicas of one database (the store's named leases), for a
   * connection only one replica may hold (Discord's gateway). Absent with one process.
   */
  leases?: NamedLeases;
}

/**
 * Named leases, held by the replica this object belongs to: one holder per name at a
 * time, until released or expired (the holder died or hung).
 */
export interface NamedLeases {
  /** Takes the lease if free, expired, or already this replica's; true when this replica holds it now. */
  acquire(name: string, ttlMs: number): Promise<boolean>;
  /** Extends this replica's lease; false when it is no longer this replica's (it expired and was taken). */
  renew(name: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (nothing when not held). */
  release(name: string): Promise<void>;
}

/** The bot's health now: whether it is healthy and one line saying why (see src/bot/assess-health.ts). */
export type HealthProbe = () => HealthVerdict | Promise<HealthVerdict>;

export interface HealthVerdict {
  healthy: boolean;
  line: string;
}

/** The part of an HTTP response /healthz writes to (node's ServerResponse, Bolt's custom route response). */
export interface HealthResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/**
 * Answers /healthz from the probe: 200 and "healthy: …", or 503 and "unhealthy: <why>";
 * a probe that throws is unhealthy; without a probe, 200 "ok". One answer for every
 * server that serves it (the bot's own health port, Slack's HTTP receiver).
 */
export async function answerHealthz(probe: HealthProbe | undefined, res: HealthResponse): Promise<void> {
  let verdict: HealthVerdict = { healthy: true, line: 'ok' };
  try {
    // A probe may read the store (a network database answers later).
    if (probe) verdict = await probe();
  } catch (err) {
    verdict = { healthy: false, line: `unhealthy: the health check failed: ${(err as Error).message}` };
  }
  res.writeHead(verdict.healthy ? 200 : 503, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(`${verdict.line}\n`);
}

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
