import { isDeepStrictEqual } from 'node:util';
import type { APIEmbed, APIInteractionResponse, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { subcommandSpecs } from '../../../../src/adapters/discord/command-definitions.js';
import { DiscordAdapter } from '../../../../src/adapters/discord/discord-adapter.js';
import { SUBCOMMANDS } from '../../../../src/commands/subcommands/index.js';
import { silentLogger } from '../../../../src/log/logger.js';
import {
  chatInputPayload,
  deliverInteraction,
  INTERACTION_DEFAULTS,
  OPTION_TYPE,
  type InteractionOption,
} from '../../../helpers/discord-interaction.js';
import { startFakeDiscord } from '../../../helpers/fake-discord-server.js';
import { controlCharsIn, visibleLines, type ContractDriver, type Delivery } from './contract-driver.js';

/**
 * Discord: the real DiscordAdapter with its REST client pointed at the fake server
 * on 127.0.0.1. A command is a raw INTERACTION_CREATE payload handed to discord.js
 * (the shared deliverInteraction helper); the answer is the interaction callback
 * discord.js sent. The gateway is not connected: interactions are delivered directly.
 */

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token';
const EPHEMERAL = 64;

/**
 * The options a Discord user would fill in for the typed words: "reactions share"
 * is /deal reactions share:true; other words fill the subcommand's string and
 * integer options in order. A subcommand Discord does not know (a stale
 * registration) arrives with no options.
 */
function slashOptions(subcommand: string, words: string[]): InteractionOption[] {
  const spec = subcommandSpecs(SUBCOMMANDS).find((s) => s.name === subcommand);
  const share = words.includes('share');
  const values = words.filter((w) => w !== 'share');
  const options: InteractionOption[] = [];
  for (const option of spec?.options ?? []) {
    if (option.kind === 'boolean') continue;
    const value = values.shift();
    if (value !== undefined)
      options.push({
        name: option.name,
        type: OPTION_TYPE[option.kind],
        value: option.kind === 'integer' ? Number(value) : value,
      });
  }
  if (values.length) throw new Error(`no Discord option left for "${values.join(' ')}" in /deal ${subcommand}`);
  if (share) options.push({ name: 'share', type: OPTION_TYPE.boolean, value: true });
  return options;
}

/** Discord markdown read back as a person sees it: escapes and emphasis gone, <url> shown as the URL, no zero-width spaces. */
function decodeDiscord(text: string): string {
  return text.replace(
    /\\([^\w\s])|<(https?:\/\/[^\s>]+)>|\*+|\u200b/g,
    (_m, escaped: string | undefined, url: string | undefined) => escaped ?? url ?? '',
  );
}

function embedTexts(embeds: readonly APIEmbed[]): string[] {
  return embeds.flatMap((e) => [
    e.title ?? '',
    e.description ?? '',
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    e.footer?.text ?? '',
  ]);
}

function delivery(body: { content?: string; embeds?: APIEmbed[]; flags?: number }, payload: unknown): Delivery {
  const visibility = ((body.flags ?? 0) & EPHEMERAL) !== 0 ? 'private' : 'channel';
  return {
    payload,
    visibility,
    lines: visibleLines([body.content ?? '', ...embedTexts(body.embeds ?? [])].map(decodeDiscord)),
  };
}

/**
 * Live Discord markup: a message that lets mentions parse, unescaped mention forms
 * (<@id>, <@&role>, <#channel>, <!…>), @everyone/@here without the zero-width
 * break, unescaped masked links ([text](url)), and control characters.
 */
function liveMarkup(d: Delivery): string[] {
  const body = d.payload as { content?: string; embeds?: APIEmbed[]; allowed_mentions?: unknown };
  const texts = [body.content ?? '', ...embedTexts(body.embeds ?? [])];
  return [
    ...(isDeepStrictEqual(body.allowed_mentions, { parse: [], replied_user: false })
      ? []
      : [`allowed_mentions=${JSON.stringify(body.allowed_mentions)}`]),
    ...texts.flatMap((t) => t.match(/(?<!\\)<[@#!][^>]*>?|@(?:everyone|here)|(?<!\\)\[[^\]]*(?<!\\)\]\(/g) ?? []),
    ...texts.flatMap(controlCharsIn),
  ];
}

export const discordDriver: ContractDriver = {
  platform: 'discord',
  users: { admin: '1200000000000000004', member: INTERACTION_DEFAULTS.userId },
  channel: INTERACTION_DEFAULTS.channelId,
  notApplicable: {},

  async start({ config, handler }) {
    const fake = await startFakeDiscord({ botUserId: INTERACTION_DEFAULTS.applicationId });
    const adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.api,
      logger: silentLogger(),
      getConfig: () => config,
      commands: SUBCOMMANDS,
      connect: async () => undefined,
      // Answer in the first callback even on a loaded machine; deferral has its own tests.
      deferAfterMs: 10_000,
    });
    await adapter.start(handler);
    return {
      adapter,
      async ask(text, userId) {
        const [subcommand = '', ...words] = text.split(/\s+/);
        const raw = chatInputPayload({
          subcommand,
          options: slashOptions(subcommand, words),
          userId,
          command: config.bot.command,
        });
        deliverInteraction(adapter, raw);
        const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/${raw.token}/callback$`));
        // 4 = CHANNEL_MESSAGE_WITH_SOURCE: the answer itself, not a deferral.
        const answer = callback.body as APIInteractionResponse | undefined;
        if (answer?.type !== 4) throw new Error(`expected an answer (type 4), got ${JSON.stringify(callback.body)}`);
        return delivery(answer.data, answer.data);
      },
      async post(message, options) {
        const path = `/channels/${discordDriver.channel}/messages`;
        const before = fake.requests.filter((r) => r.method === 'POST' && r.path === path).length;
        const receipt = await adapter.postToChannel(discordDriver.channel, message, options);
        const request = fake.requests.filter((r) => r.method === 'POST' && r.path === path)[before];
        if (!request) throw new Error(`the adapter did not POST ${path}`);
        return { receipt, delivery: delivery(request.body as RESTPostAPIChannelMessageJSONBody, request.body) };
      },
      liveMarkup,
      async stop() {
        await adapter.stop();
        await fake.close();
      },
    };
  },
};
