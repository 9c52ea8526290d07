import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
} from 'discord.js';
import type { BriefRegistry } from '../../briefs/brief-registry.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log/logger.js';
import type { Message } from '../../messages/message.js';
import type {
  ChatAdapter,
  CommandHandler,
  CommandReply,
  CommandSpec,
  FindPostedOptions,
  PostOptions,
  PostReceipt,
} from '../../messages/chat-adapter.js';
import { briefChoices } from './brief-choices.js';
import { findChannelPost, postChannelMessage } from './channel-posts.js';
import { subcommandSpecs } from './command-definitions.js';
import { renderDiscordMessage } from './discord-embeds.js';
import { applicationIdFromToken } from './discord-env.js';
import { invocationFromInteraction } from './interaction-to-invocation.js';

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
}

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

  constructor(private readonly options: DiscordAdapterOptions) {
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { ...NO_MENTIONS, parse: [] },
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        // One retry schedule, the delivery's (which asks findPosted first): discord.js would otherwise
        // re-send a post at once on a 5xx or timeout, 4 POSTs per attempt. 429s are still waited out.
        retries: 0,
      },
    });
    // Channel posts work before (and without) the gateway connection.
    this.client.rest.setToken(options.token);
    const log = options.logger;
    this.client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    this.client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));
    this.client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ code: event.code, shard }, 'discord gateway disconnected'),
    );
    this.client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
    for (const down of [Events.ShardDisconnect, Events.ShardReconnecting, Events.Invalidated] as const)
      this.client.on(down, () => (this.gatewayDown = true));
    for (const up of [Events.ShardReady, Events.ShardResume] as const)
      this.client.on(up, () => (this.gatewayDown = false));
    this.client.rest.on('rateLimited', (info) =>
      log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit; waiting'),
    );
    this.client.on(Events.InteractionCreate, (interaction) => this.track(this.onInteraction(interaction)));
  }

  async start(handler: CommandHandler): Promise<void> {
    this.handler = handler;
    await (this.options.connect ?? ((client: Client) => client.login(this.options.token)))(this.client);
    this.options.logger.info({ user: this.client.user?.tag }, 'discord connected');
  }

  /** Started, and the gateway has not dropped since (or has come back). */
  isConnected(): boolean {
    return this.handler !== undefined && !this.gatewayDown;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.client.destroy();
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

  private async onInteraction(interaction: Interaction): Promise<void> {
    const command = this.options.getConfig().bot.command;
    try {
      if (interaction.isAutocomplete() && interaction.commandName === command) await this.onAutocomplete(interaction);
      else if (interaction.isChatInputCommand() && interaction.commandName === command)
        await this.onCommand(interaction);
    } catch (err) {
      this.options.logger.error({ err, interaction: interaction.id }, 'discord interaction failed');
      if (interaction.isChatInputCommand()) await apologise(interaction).catch(() => undefined);
    }
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const briefs = this.options.getBriefs?.();
    await interaction.respond(focused.name === 'brief' && briefs ? briefChoices(briefs, String(focused.value)) : []);
  }

  /** Answers at once when the core is quick; otherwise defers (the 3 s limit) and edits the reply. */
  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const handler = this.handler;
    if (!handler) return; // stopping: let Discord show its own "did not respond"
    const specs = subcommandSpecs(this.options.commands);
    const share = interaction.options.getBoolean('share') === true;
    const answer = handler(invocationFromInteraction(interaction, specs));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>(
      (resolve) => (timer = setTimeout(() => resolve(null), this.options.deferAfterMs ?? 1500)),
    );
    const quick = await Promise.race([answer, late]).finally(() => clearTimeout(timer));
    if (quick) {
      await interaction.reply(replyOptions(quick, share));
      return;
    }
    await interaction.deferReply(share ? {} : { flags: MessageFlags.Ephemeral });
    const reply = await answer;
    const options = replyOptions(reply, share);
    if (share && options.flags) {
      // Deferred in public, but the core answered privately (an error, an admin refusal): do not show it to all.
      await interaction.deleteReply();
      await interaction.followUp(options);
    } else {
      const { flags: _ephemeralFixedByDefer, ...edit } = options;
      await interaction.editReply(edit);
    }
  }
}

/**
 * The answer as discord.js reply options. Only share:true posts in the channel, and
 * only when the core agrees (its errors stay private); a query word such as
 * "market share" cannot make an answer public.
 */
function replyOptions(
  reply: CommandReply,
  share: boolean,
): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  const visibility = share && reply.visibility === 'channel' ? 'channel' : 'private';
  const payload = renderDiscordMessage(reply.message, { visibility });
  return {
    embeds: payload.embeds,
    allowedMentions: { ...NO_MENTIONS, parse: [] },
    ...(payload.flags ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Tells the asker something failed, in whichever way the interaction can still be answered. */
async function apologise(interaction: ChatInputCommandInteraction): Promise<void> {
  const options: InteractionReplyOptions = {
    content: 'Sorry, that failed on our side; please try again in a moment.',
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  };
  if (interaction.deferred || interaction.replied) await interaction.followUp(options);
  else await interaction.reply(options);
}
