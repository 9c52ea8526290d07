import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  APIApplicationCommandAutocompleteResponse,
  APIInteractionResponseChannelMessageWithSource,
  APIInteractionResponseDeferredChannelMessageWithSource,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord.js';
import type { CommandHandler, CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import type { Subcommand } from '../../../src/commands/subcommand.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { loadBotFiles } from '../../../src/bot/load-bot-files.js';
import { silentLogger } from '../../../src/log/logger.js';
import {
  chatInputPayload,
  deliverInteraction as deliver,
  INTERACTION_DEFAULTS,
  OPTION_TYPE,
  type InteractionOption,
} from '../../helpers/discord-interaction.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord-server.js';
import { shippedConfig } from '../../helpers/paths.js';

/**
 * The tests that drive discord.js's own interaction code: raw gateway payloads go
 * through `deliverInteraction` (tests/helpers/discord-interaction.ts, the one place
 * that uses discord.js's private interaction path), and the real
 * ChatInputCommandInteraction's replies reach the local server's callback routes.
 */

const APP = INTERACTION_DEFAULTS.applicationId;
const GUILD = INTERACTION_DEFAULTS.guildId;
const CHANNEL = INTERACTION_DEFAULTS.channelId;
const ADMIN_ROLE = '1200000000000000003';
const ADMIN_USER = '1200000000000000004';
const PLAIN_USER = INTERACTION_DEFAULTS.userId;

/** A CHAT_INPUT interaction as the gateway sends it (INTERACTION_CREATE's d). */
function slashPayload(
  subcommand: string,
  options: InteractionOption[] = [],
  who: { userId?: string; roles?: string[] } = {},
) {
  return chatInputPayload({ subcommand, options, ...who });
}

const STRING = OPTION_TYPE.string;
const INTEGER = OPTION_TYPE.integer;
const BOOLEAN = OPTION_TYPE.boolean;

describe('Discord interactions through discord.js (contract)', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter | undefined;
  let config: Config;
  let briefs: BriefRegistry;

  beforeEach(async () => {
    fake = await startFakeDiscord({ botUserId: APP });
    const files = await loadBotFiles(shippedConfig, {});
    briefs = files.briefs;
    config = configSchema.parse({ admins: { discord: { users: [ADMIN_USER], roles: [ADMIN_ROLE] } } });
  });

  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await fake.close();
  });

  async function startAdapter(
    handler: CommandHandler,
    extra: { subcommands?: Subcommand[]; deferAfterMs?: number } = {},
  ) {
    adapter = new DiscordAdapter({
      token: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token',
      apiUrl: fake.api,
      logger: silentLogger(),
      getConfig: () => config,
      getBriefs: () => briefs,
      connect: async () => undefined,
      commands: extra.subcommands ?? SUBCOMMANDS,
      ...(extra.deferAfterMs !== undefined ? { deferAfterMs: extra.deferAfterMs } : {}),
    });
    await adapter.start(handler);
    return adapter;
  }

  const engine = (subcommands: Subcommand[] = SUBCOMMANDS) =>
    createCommandEngine({ getConfig: () => config, getBriefs: () => briefs, services: {}, subcommands });

  it('answers /deal facts with an ephemeral embed (flag 64) on the interaction callback', async () => {
    const seen: CommandInvocation[] = [];
    const core = engine();
    const a = await startAdapter(async (inv) => (seen.push(inv), core(inv)));
    const raw = slashPayload('facts', [{ name: 'brief', type: STRING, value: 'us-japan-rare-earths-2025' }]);
    deliver(a, raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/${raw.token}/callback$`));
    const answer = callback.body as APIInteractionResponseChannelMessageWithSource;
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(64);
    expect(answer.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(answer.data.embeds?.[0]?.title).toContain('Key facts');
    expect(answer.data.embeds?.[0]?.description).toContain('Takaichi');
    expect(seen[0]).toMatchObject({
      platform: 'discord',
      command: 'deal',
      text: 'facts us-japan-rare-earths-2025',
      channel: { id: CHANNEL },
      user: { id: PLAIN_USER },
    });
  });

  it('posts in the channel (no ephemeral flag) when share:true', async () => {
    const seen: string[] = [];
    const core = engine();
    const a = await startAdapter(async (inv) => (seen.push(inv.text), core(inv)));
    const raw = slashPayload('reactions', [{ name: 'share', type: BOOLEAN, value: true }]);
    deliver(a, raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    expect(seen).toEqual(['reactions share']);
    const answer = callback.body as APIInteractionResponseChannelMessageWithSource;
    expect(answer.type).toBe(4);
    expect(answer.data.flags ?? 0).toBe(0);
    expect(answer.data.embeds?.[0]?.title).toContain('Reactions');
  });

  it('maps options to the core text form: latest n, search query, brief', async () => {
    const seen: string[] = [];
    const stub = (name: string, usage: string, takesBriefArg = false): Subcommand => ({
      name,
      usage,
      summary: name,
      takesBriefArg,
      run: () => ({ title: name, sections: [] }),
    });
    const subs = [stub('latest', 'latest [n] [brief]', true), stub('search', 'search <words>')];
    const a = await startAdapter(
      async (inv) => (seen.push(inv.text), { message: { title: 'ok', sections: [] }, visibility: 'private' }),
      { subcommands: subs },
    );
    const latest = slashPayload('latest', [
      { name: 'n', type: INTEGER, value: 5 },
      { name: 'brief', type: STRING, value: 'us-japan-rare-earths-2025' },
    ]);
    const search = slashPayload('search', [{ name: 'query', type: STRING, value: 'rare\nearth' }]);
    deliver(a, latest);
    deliver(a, search);
    await fake.waitFor('POST', new RegExp(`^/interactions/${latest.id}/`));
    await fake.waitFor('POST', new RegExp(`^/interactions/${search.id}/`));
    expect(seen.sort()).toEqual(['latest 5 us-japan-rare-earths-2025', 'search rare earth']);
  });

  it('defers (ephemeral) when the answer takes longer, then edits the original reply', async () => {
    const core = engine();
    const a = await startAdapter(
      async (inv) => {
        await new Promise((r) => setTimeout(r, 300));
        return core(inv);
      },
      { deferAfterMs: 50 },
    );
    const raw = slashPayload('timeline');
    deliver(a, raw);
    const deferred = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitFor('PATCH', new RegExp(`^/webhooks/${APP}/${raw.token}/messages/@original$`));
    expect(edit.at).toBeGreaterThan(deferred.at);
    const edited = edit.body as RESTPatchAPIWebhookWithTokenMessageJSONBody;
    expect(edited.embeds?.[0]?.title).toContain('Timeline');
    expect(edited.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // No follow-up: the edit succeeded, so no apology was needed.
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/webhooks/'))).toEqual([]);
  });

  it('keeps a private answer private after a public deferral (share:true, but the core refused)', async () => {
    const a = await startAdapter(
      async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { message: { title: 'Sorry, that failed', sections: [], tone: 'error' }, visibility: 'private' };
      },
      { deferAfterMs: 20 },
    );
    const raw = slashPayload('facts', [{ name: 'share', type: BOOLEAN, value: true }]);
    deliver(a, raw);
    const deferred = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    const deferral = deferred.body as APIInteractionResponseDeferredChannelMessageWithSource;
    expect(deferral.type).toBe(5);
    expect(deferral.data?.flags ?? 0).toBe(0);
    await fake.waitFor('DELETE', new RegExp(`^/webhooks/${APP}/${raw.token}/messages/@original$`));
    const followUp = await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${raw.token}$`));
    const followUpBody = followUp.body as RESTPostAPIWebhookWithTokenJSONBody;
    expect(followUpBody.flags).toBe(64);
    expect(followUpBody.embeds?.[0]?.title).toBe('Sorry, that failed');
  });

  describe('admin-only subcommands: the engine checks the Discord user id and role ids', () => {
    const adminOnly: Subcommand = {
      name: 'reload',
      summary: 'reload briefs',
      usage: 'reload',
      adminOnly: true,
      run: () => ({ title: 'Reloaded', sections: [] }),
    };

    async function ask(who: { userId?: string; roles?: string[] }) {
      const seen: CommandInvocation[] = [];
      const core = engine([...SUBCOMMANDS, adminOnly]);
      const a = await startAdapter(async (inv) => (seen.push(inv), core(inv)), {
        subcommands: [...SUBCOMMANDS, adminOnly],
      });
      const raw = slashPayload('reload', [], who);
      deliver(a, raw);
      const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
      const answer = callback.body as APIInteractionResponseChannelMessageWithSource;
      return { title: answer.data.embeds?.[0]?.title, invocation: seen[0] };
    }

    it('lets a member with an admin role run it, and passes the role ids (not @everyone)', async () => {
      const { title, invocation } = await ask({ roles: [GUILD, '1200000000000000099', ADMIN_ROLE] });
      expect(title).toBe('Reloaded');
      expect(invocation?.user.roleIds).toEqual(['1200000000000000099', ADMIN_ROLE]);
    });

    it('lets an admin user id run it without any role', async () => {
      expect((await ask({ userId: ADMIN_USER })).title).toBe('Reloaded');
    });

    it('refuses everyone else, privately', async () => {
      const { title } = await ask({ roles: ['1200000000000000099'] });
      expect(title).toBe('/deal reload is for admins');
    });
  });

  it('offers the loaded briefs as autocomplete choices for the brief option', async () => {
    const a = await startAdapter(engine());
    const raw = { ...slashPayload('facts'), type: 4 };
    raw.data.options[0]!.options = [{ name: 'brief', type: STRING, value: 'rare', focused: true } as never];
    deliver(a, raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    const answer = callback.body as APIApplicationCommandAutocompleteResponse;
    expect(answer.type).toBe(8);
    expect(answer.data.choices).toEqual([
      { name: expect.stringContaining('us-japan-rare-earths-2025 — '), value: 'us-japan-rare-earths-2025' },
    ]);
  });

  it('ignores commands of other applications and names', async () => {
    const handled: string[] = [];
    const a = await startAdapter(
      async (inv) => (handled.push(inv.text), { message: { title: 'x', sections: [] }, visibility: 'private' }),
    );
    const raw = slashPayload('facts');
    raw.data.name = 'other';
    deliver(a, raw);
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toEqual([]);
    expect(fake.requests.filter((r) => r.path.startsWith('/interactions/'))).toEqual([]);
  });
});
