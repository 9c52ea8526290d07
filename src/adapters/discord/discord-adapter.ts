import {
  Client,
  Events,
  GatewayIntentBits,
  Routes,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { AddressInfo } from 'node:net';
import type { BriefRegistry } from '../../briefs/brief-registry.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log/logger.js';
import type { Message } from '../../messages/message.js';
import type {
  ChatAdapter,
  CommandHandler,
  CommandSpec,
  FindPostedOptions,
  PostOptions,
  PostReceipt,
} from '../../messages/chat-adapter.js';
import type { HealthProbe } from '../adapter-module.js';
import { briefChoices } from './brief-choices.js';
import { findChannelPost, postChannelMessage } from './channel-posts.js';
import { subcommandSpecs } from './command-definitions.js';
import { EPHEMERAL_FLAG, type DiscordPayload } from './discord-embeds.js';
import { applicationIdFromToken } from './discord-env.js';
import { DEFAULT_LEASE_TIMES, GatewayLeaseKeeper, type GatewayLease, type LeaseTimes } from './gateway-lease.js';
import { gatewayResponder } from './gateway-responder.js';
import type { CommandPayload } from './interaction-payload.js';
import { slashFromPayload } from './interaction-payload.js';
import {
  focusedOption,
  invocationFromSlash,
  slashFromInteraction,
  slashInput,
  type SlashCommand,
} from './interaction-to-invocation.js';
import { InteractionsEndpoint, type Respond } from './interactions-endpoint.js';
import { answerSlashCommand, type InteractionResponder } from './slash-answer.js';

/** The HTTP interactions endpoint's settings (DISCORD_PUBLIC_KEY, DISCORD_INTERACTIONS_PORT). */
export interface InteractionsSettings {
  publicKey: string;
  port: number;
  /** Default: every interface (tests: 127.0.0.1). */
  host?: string;
}

export interface DiscordAdapterOptions {
  token: string;
  /** REST base URL without the version (DISCORD_API_URL); default https://discord.com/api. */
  apiUrl?: string;
  logger: Logger;
  getConfig: () => Config;
  /** For the brief option's autocomplete; without it no choices are offered. */
  getBriefs?: () => BriefRegistry;
  /** The subcommands to declare and parse (the core's list, passed in by the composition root). */
  commands: readonly CommandSpec[];
  /** Defer when the answer is not ready after this long; Discord allows 3 s in all, network included. */
  deferAfterMs?: number;
  /** Connects the gateway; tests pass a no-op and drive interactions themselves. */
  connect?: (client: Client) => Promise<unknown>;
  /** findPosted's look-back bound in messages (tests lower it). */
  maxLookbackMessages?: number;
  /** Serve HTTP interactions (Discord's Interactions Endpoint URL) as well as the gateway's. */
  interactions?: InteractionsSettings;
  /** The HTTP endpoint's GET /healthz answer (for a load balancer). */
  health?: HealthProbe;
  /**
   * Replicas share one gateway connection: only the holder of this lease connects.
   * Without it (one process) the gateway is connected at start, as always.
   */
  gatewayLease?: GatewayLease;
  /** The lease's ttl and renew/retry period (tests shorten them). */
  leaseTimes?: LeaseTimes;
}

/** How many answered interaction ids are remembered, so one arriving both ways is answered once. */
const REMEMBERED_INTERACTIONS = 1000;

// Nobody is ever pinged by what the bot posts, whatever the text says.
const NO_MENTIONS = { parse: [], repliedUser: false } as const;

/**
 * Discord through discord.js: slash commands in, embeds out, channel posts via the
 * REST client (rate limits handled there). Only the Guilds intent: interactions
 * arrive without privileged intents, and the bot never reads messages.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord';
  readonly client: Client;
  private handler: CommandHandler | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Set between a gateway drop and its reconnect or resume (for `dealbot health`). */
  private gatewayDown = false;
  private readonly endpoint: InteractionsEndpoint | undefined;
  private readonly leaseKeeper: GatewayLeaseKeeper | undefined;
  /**
   * With a lease, each time it is held the gateway connects on a fresh client, closed
   * when the lease is lost: a discord.js Client cannot be destroyed twice (its second
   * destroy() does nothing) and its destroy() clears the REST token the posts use.
   */
  private leasedClient: Client | undefined;
  /** Interaction ids already taken up, oldest first (insertion order). */
  private readonly seen = new Set<string>();

  constructor(private readonly options: DiscordAdapterOptions) {
    this.client = this.newClient();
    const log = options.logger;
    if (options.interactions) {
      this.endpoint = new InteractionsEndpoint({
        ...options.interactions,
        logger: log,
        onCommand: (payload, respond) => {
          const job = this.onHttpInteraction(payload, respond);
          this.track(job.catch(() => undefined));
          return job;
        },
        ...(options.health ? { health: options.health } : {}),
      });
    }
    if (options.gatewayLease) {
      this.leaseKeeper = new GatewayLeaseKeeper({
        lease: options.gatewayLease,
        times: options.leaseTimes ?? DEFAULT_LEASE_TIMES,
        logger: log,
        connect: async () => {
          const client = this.newClient();
          try {
            await this.connectGateway(client);
          } catch (err) {
            await client.destroy();
            throw err;
          }
          this.leasedClient = client;
        },
        disconnect: async () => {
          const client = this.leasedClient;
          this.leasedClient = undefined;
          await client?.destroy();
        },
      });
    }
  }

  async start(handler: CommandHandler): Promise<void> {
    this.handler = handler;
    if (this.endpoint) {
      const { port } = await this.endpoint.start();
      this.options.logger.info({ port }, 'discord interactions endpoint listening');
    }
    if (this.leaseKeeper) await this.leaseKeeper.start();
    else await this.connectGateway(this.client);
  }

  /**
   * Started, the HTTP endpoint (if on) listening, and the gateway (when this replica
   * is the one to hold it) has not dropped since (or has come back).
   */
  isConnected(): boolean {
    if (this.handler === undefined) return false;
    if (this.endpoint && !this.endpoint.listening) return false;
    const holdsGateway = this.leaseKeeper ? this.leaseKeeper.holds : true;
    return !holdsGateway || !this.gatewayDown;
  }

  /** The HTTP interactions endpoint's address, when it is on and listening. */
  interactionsAddress(): AddressInfo | undefined {
    return this.endpoint?.address;
  }

  /** This replica holds the gateway connection (always, without a lease). */
  holdsGateway(): boolean {
    return this.leaseKeeper ? this.leaseKeeper.holds : this.handler !== undefined;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    await this.endpoint?.stop();
    // Answers under way finish before the gateway is handed over.
    await Promise.allSettled([...this.inFlight]);
    await this.leaseKeeper?.stop();
    await this.client.destroy();
  }

  private async connectGateway(client: Client): Promise<void> {
    await (this.options.connect ?? ((c: Client) => c.login(this.options.token)))(client);
    this.gatewayDown = false;
    this.options.logger.info({ user: client.user?.tag }, 'discord connected');
  }

  /** The client whose gateway connection counts now: the leased one, or (without a lease) the main one. */
  private gatewayClient(): Client | undefined {
    return this.leaseKeeper ? this.leasedClient : this.client;
  }

  /** A discord.js client with the bot's REST token and the adapter's listeners. */
  private newClient(): Client {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { ...NO_MENTIONS, parse: [] },
      rest: {
        ...(this.options.apiUrl ? { api: this.options.apiUrl } : {}),
        // One retry schedule, the delivery's (which asks findPosted first): discord.js would otherwise
        // re-send a post at once on a 5xx or timeout, 4 POSTs per attempt. 429s are still waited out.
        retries: 0,
      },
    });
    // Channel posts work before (and without) the gateway connection.
    client.rest.setToken(this.options.token);
    const log = this.options.logger;
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));
    client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ code: event.code, shard }, 'discord gateway disconnected'),
    );
    client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
    // A closed leased client's last events must not mark the next one down.
    const current = () => this.gatewayClient() === client;
    for (const down of [Events.ShardDisconnect, Events.ShardReconnecting, Events.Invalidated] as const)
      client.on(down, () => current() && (this.gatewayDown = true));
    for (const up of [Events.ShardReady, Events.ShardResume] as const)
      client.on(up, () => current() && (this.gatewayDown = false));
    client.rest.on('rateLimited', (info) =>
      log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit; waiting'),
    );
    client.on(Events.InteractionCreate, (interaction) => this.track(this.onInteraction(interaction)));
    return client;
  }

  postToChannel(channelId: string, message: Message, options?: PostOptions): Promise<PostReceipt> {
    return postChannelMessage(this.client.rest, channelId, message, options, this.botUserId());
  }

  findPosted(channelId: string, idempotencyKey: string, options: FindPostedOptions = {}): Promise<PostReceipt | null> {
    return findChannelPost(this.client.rest, channelId, idempotencyKey, {
      ...options,
      authorId: this.botUserId(),
      logger: this.options.logger,
      ...(this.options.maxLookbackMessages ? { maxMessages: this.options.maxLookbackMessages } : {}),
    });
  }

  /** The bot's user id: known from the gateway, or (before login) from the token. */
  private botUserId(): string | undefined {
    return this.client.user?.id ?? applicationIdFromToken(this.options.token);
  }

  private track(job: Promise<void>): void {
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  /** True the first time an interaction id is seen: Discord sends each to one place, but never answer twice. */
  private firstSight(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > REMEMBERED_INTERACTIONS) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    const command = this.options.getConfig().bot.command;
    if (!this.firstSight(interaction.id)) return;
    try {
      if (interaction.isAutocomplete() && interaction.commandName === command) await this.onAutocomplete(interaction);
      else if (interaction.isChatInputCommand() && interaction.commandName === command)
        await this.onCommand(interaction);
    } catch (err) {
      this.options.logger.error({ err, interaction: interaction.id }, 'discord interaction failed');
    }
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    await interaction.respond(this.choices(slashFromInteraction(interaction)));
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const handler = this.handler;
    if (!handler) return; // stopping: let Discord show its own "did not respond"
    await this.answer(handler, slashFromInteraction(interaction), gatewayResponder(interaction));
  }

  /** An interaction from the HTTP endpoint: answered through `respond` first, then the interaction's webhook. */
  private async onHttpInteraction(payload: CommandPayload, respond: Respond): Promise<void> {
    const slash = slashFromPayload(payload);
    const command = this.options.getConfig().bot.command;
    if (!slash) throw new Error(`interaction ${payload.id} has neither member.user nor user`);
    if (!this.firstSight(payload.id)) throw new Error(`interaction ${payload.id} was already taken up (it came twice)`);
    if (payload.type === 4) {
      await respond({ type: 8, data: { choices: slash.commandName === command ? this.choices(slash) : [] } });
      return;
    }
    const handler = this.handler;
    if (slash.commandName !== command || !handler) {
      const content = handler
        ? `This bot answers /${command}; /${slash.commandName} is no longer one of its commands (an admin can run npx dealbot register-commands).`
        : 'dealbot is restarting; please try again in a moment.';
      await respond({ type: 4, data: { content, flags: EPHEMERAL_FLAG, allowed_mentions: { parse: [] } } });
      return;
    }
    await this.answer(handler, slash, webhookResponder(this.client, payload, respond));
  }

  private choices(slash: SlashCommand): { name: string; value: string }[] {
    const focused = focusedOption(slash);
    const briefs = this.options.getBriefs?.();
    return focused?.name === 'brief' && briefs ? briefChoices(briefs, focused.typed) : [];
  }

  private answer(handler: CommandHandler, slash: SlashCommand, responder: InteractionResponder): Promise<void> {
    const share = slashInput(slash).options.get('share') === true;
    const invocation = invocationFromSlash(slash, subcommandSpecs(this.options.commands));
    return answerSlashCommand(handler(invocation), share, responder, this.options.deferAfterMs ?? 1500);
  }
}

/**
 * An HTTP interaction's answers: the first is the HTTP response; the deferred
 * answer, its replacement and follow-ups go to the interaction's webhook through
 * discord.js's REST client (the interaction token is the credential, not the bot's).
 */
function webhookResponder(client: Client, payload: CommandPayload, respond: Respond): InteractionResponder {
  const original = Routes.webhookMessage(payload.application_id, payload.token, '@original');
  const wire = <T extends Partial<DiscordPayload>>({ content, ...rest }: T) => ({
    ...(content ? { content } : {}),
    ...rest,
  });
  return {
    reply: (answer) => respond({ type: 4, data: wire(answer) }),
    defer: (ephemeral) => respond({ type: 5, data: ephemeral ? { flags: EPHEMERAL_FLAG } : {} }),
    editOriginal: async (answer) => void (await client.rest.patch(original, { body: wire(answer), auth: false })),
    deleteOriginal: async () => void (await client.rest.delete(original, { auth: false })),
    followUp: async (answer) =>
      void (await client.rest.post(Routes.webhook(payload.application_id, payload.token), {
        body: wire(answer),
        auth: false,
      })),
  };
}
