import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type RespondFn, type SlashCommand } from '@slack/bolt';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log/logger.js';
import type { Message } from '../../messages/message.js';
import { renderSlackMessage, renderSlackReply } from './slack-blocks.js';
import { escapeInline } from './slack-escape.js';
import type {
  ChatAdapter,
  CommandHandler,
  FindPostedOptions,
  PostOptions,
  PostReceipt,
} from '../../messages/chat-adapter.js';
import { answerHealthz, type HealthProbe, type HealthResponse } from '../adapter-module.js';
import { boltLevel, boltLogger } from './bolt-logger.js';
import { slackClientOptions, type SlackClientTuning } from './slack-client-options.js';
import { describeSlackError, networkFailure, startFailure } from './slack-errors.js';
import type { SlackEnv } from './slack-env.js';
import { slashCommandPayloadSchema, toInvocation, type SlashCommandPayload } from './slash-command-payload.js';
import { findSlackPost, POST_EVENT_TYPE } from './find-slack-post.js';
import { slackPermissionError } from './slack-permissions.js';
import { refuseStaleRequests } from './request-freshness.js';

export { POST_EVENT_TYPE };

export interface SlackAdapterOptions {
  env: SlackEnv;
  logger: Logger;
  getConfig: () => Config;
  /** HTTP mode: the interface to listen on (default: all). Tests use 127.0.0.1. */
  host?: string;
  tuning?: SlackClientTuning;
  /** findPosted's look-back bound in messages (tests lower it). */
  maxLookbackMessages?: number;
  /** The bot's health for GET /healthz in HTTP mode; without it the route answers "ok". */
  health?: HealthProbe;
}

/**
 * Slack through Bolt, in Socket Mode or HTTP mode. A slash command is acknowledged
 * before anything else happens (no database, no network: the bot's identity is
 * checked once at start), then the engine answers and the answer goes out through
 * respond(). Channel posts go through Bolt's WebClient and carry the idempotency
 * key as message metadata.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack';
  private readonly app: App;
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private botId: string | undefined;
  private botName: string | undefined;
  private started = false;
  /** Socket Mode: whether the WebSocket is open (Slack recycles it now and then). */
  private socketOpen = false;
  private listenAddress: AddressInfo | undefined;

  constructor(private readonly options: SlackAdapterOptions) {
    const { env } = options;
    this.logger = options.logger;
    const logger = boltLogger(options.logger);
    const clientOptions = slackClientOptions(env.apiUrl, options.tuning);
    let receiver: HTTPReceiver | SocketModeReceiver;
    if (env.mode === 'http') {
      receiver = new HTTPReceiver({
        signingSecret: env.signingSecret,
        endpoints: '/slack/events',
        logger,
        customRoutes: [healthRoute(options.health)],
      });
      refuseStaleRequests(receiver, options.logger);
    } else {
      // The Socket Mode client gets its own copy: it fills in missing options in place.
      const socket = new SocketModeReceiver({
        appToken: env.appToken,
        logger,
        installerOptions: { clientOptions: { ...clientOptions } },
      });
      socket.client.on('connected', () => (this.socketOpen = true));
      for (const event of ['close', 'reconnecting', 'disconnecting', 'disconnected'])
        socket.client.on(event, () => (this.socketOpen = false));
      receiver = socket;
    }
    this.app = new App({
      token: env.botToken,
      receiver,
      logger,
      logLevel: boltLevel(options.logger),
      clientOptions,
      // auth.test runs in start(), so no request ever waits for it.
      deferInitialization: true,
      convoStore: false,
    });
  }

  /** HTTP mode: where the receiver listens (tests start it on port 0). */
  get address(): AddressInfo | undefined {
    return this.listenAddress;
  }

  async start(handler: CommandHandler): Promise<void> {
    this.app.command(/^\/.+/, async ({ command, ack, respond }) => {
      const job = this.onCommand(command, ack, respond, handler);
      this.inFlight.add(job);
      await job.finally(() => this.inFlight.delete(job));
    });
    this.app.error(async (err) => this.logger.error({ err }, 'Slack listener failed'));

    let auth;
    try {
      await this.app.init();
      auth = await this.app.client.auth.test();
    } catch (err) {
      throw new Error(startFailure(err, this.options.env.apiUrl), { cause: err });
    }
    this.botId = auth.bot_id;
    this.botName = auth.user;

    const { env } = this.options;
    try {
      if (env.mode === 'http') {
        const server = await this.app.start({
          port: env.port,
          ...(this.options.host ? { host: this.options.host } : {}),
        });
        this.listenAddress = server.address() as AddressInfo;
      } else {
        await this.app.start();
      }
    } catch (err) {
      const offline = networkFailure(err);
      const hint =
        env.mode === 'http'
          ? `cannot listen on port ${env.port} (SLACK_PORT)`
          : offline
            ? `Socket Mode could not reach Slack, ${offline}; check the network, DNS or proxy`
            : 'Socket Mode did not connect: check SLACK_APP_TOKEN (xapp-…, scope connections:write) and that Socket Mode is on in the app settings';
      throw new Error(`Slack: ${hint} (${describeSlackError(err)}).`, { cause: err });
    }
    this.started = true;
    this.logger.info(
      { mode: env.mode, port: this.listenAddress?.port, team: auth.team, bot: auth.user },
      'connected to Slack',
    );
  }

  /** HTTP mode: listening; Socket Mode: the WebSocket is open. */
  isConnected(): boolean {
    return this.started && (this.options.env.mode === 'http' || this.socketOpen);
  }

  async stop(): Promise<void> {
    if (this.started) {
      this.started = false;
      await this.app.stop();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  async postToChannel(channelId: string, message: Message, options: PostOptions = {}): Promise<PostReceipt> {
    const { text, blocks } = renderSlackMessage(message, { command: this.options.getConfig().bot.command });
    let result;
    try {
      result = await this.app.client.chat.postMessage({
        channel: channelId,
        text,
        blocks,
        parse: 'none',
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
        ...(options.idempotencyKey
          ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { idempotency_key: options.idempotencyKey } } }
          : {}),
      });
    } catch (err) {
      throw (
        slackPermissionError(err, 'post', channelId, this.botName) ??
        new Error(`Slack post to ${channelId} failed: ${describeSlackError(err)}`, { cause: err })
      );
    }
    if (!result.ts) throw new Error(`Slack post to ${channelId} returned no message ts`);
    return { channelId: result.channel ?? channelId, messageId: result.ts };
  }

  /** Looks for our post with this key in the channel's history (needs channels:history / groups:history). */
  findPosted(channelId: string, idempotencyKey: string, options: FindPostedOptions = {}): Promise<PostReceipt | null> {
    return findSlackPost(this.app.client, channelId, idempotencyKey, {
      ...options,
      botId: this.botId,
      botName: this.botName,
      logger: this.logger,
      ...(this.options.maxLookbackMessages ? { maxMessages: this.options.maxLookbackMessages } : {}),
    });
  }

  private async onCommand(
    body: SlashCommand,
    ack: (r?: { response_type: 'ephemeral'; text: string }) => Promise<void>,
    respond: RespondFn,
    handler: CommandHandler,
  ): Promise<void> {
    const command = this.options.getConfig().bot.command;
    const parsed = slashCommandPayloadSchema.safeParse(body);
    if (!parsed.success) {
      await ack({
        response_type: 'ephemeral',
        text: `Sorry, Slack sent a request I could not read. Please try /${command} again.`,
      });
      this.logger.warn(
        { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        'malformed slash command',
      );
      return;
    }
    if (parsed.data.command !== `/${command}`) {
      await ack({
        response_type: 'ephemeral',
        text: `This bot answers /${command}, not ${escapeInline(parsed.data.command)}. Ask an admin to update the app's slash command.`,
      });
      return;
    }
    // Acknowledge first: everything after this may be slow without Slack showing an error.
    await ack();
    await this.answer(parsed.data, respond, handler, command);
  }

  private async answer(
    payload: SlashCommandPayload,
    respond: RespondFn,
    handler: CommandHandler,
    command: string,
  ): Promise<void> {
    const invocation = toInvocation(payload);
    let reply;
    try {
      const answer = await handler(invocation);
      reply = renderSlackReply(answer.message, answer.visibility, { command });
    } catch (err) {
      this.logger.error({ err, user: invocation.user.id, text: invocation.text }, 'slash command failed');
      reply = {
        response_type: 'ephemeral' as const,
        text: `Sorry, /${command} failed on our side. Please try again in a moment.`,
      };
    }
    try {
      await respond(reply);
    } catch (err) {
      // The user sees no answer; the log says why (expired response_url, Slack down).
      this.logger.warn({ err, user: invocation.user.id, text: invocation.text }, 'could not send the answer to Slack');
    }
  }
}

/** GET /healthz: 200 "healthy: …" or 503 "unhealthy: <why>" from the bot's probe (200 "ok" without one). */
const healthRoute = (probe: HealthProbe | undefined) => ({
  path: '/healthz',
  method: 'GET',
  handler: (_req: unknown, res: HealthResponse) => answerHealthz(probe, res),
});
