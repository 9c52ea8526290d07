import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import { loadBriefs } from '../../../src/briefs/load-briefs.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import type { Subcommand } from '../../../src/commands/subcommand.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';
import { shippedBriefs } from '../../helpers/paths.js';
import { postSlashCommand, slashCommandBody } from '../../helpers/slack-request.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../helpers/slack-test-adapter.js';

/** A test-only admin subcommand, until `feeds` (admin-only) lands. */
const secretSubcommand: Subcommand = {
  name: 'secret',
  summary: 'admins only (test)',
  usage: 'secret',
  adminOnly: true,
  run: (ctx) => ({ title: 'The admin secret', sections: [{ items: [{ text: `for ${ctx.invocation.user.id}` }] }] }),
};

const config = configSchema.parse({ admins: { slack: { users: ['UADMIN01'] } } });

describe('Slack slash commands through the real HTTP receiver', () => {
  let h: SlackHarness;
  const seen: CommandInvocation[] = [];
  let gate: Promise<void> | undefined;

  beforeAll(async () => {
    const briefs = new BriefRegistry(await loadBriefs(shippedBriefs), 'us-japan-rare-earths-2025');
    const engine = createCommandEngine({
      getConfig: () => config,
      getBriefs: () => briefs,
      services: {},
      subcommands: [...SUBCOMMANDS, secretSubcommand],
    });
    h = await startSlackHarness({
      config,
      handler: async (inv) => {
        seen.push(inv);
        if (gate) await gate;
        return engine(inv);
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    seen.length = 0;
    gate = undefined;
  });

  let n = 0;
  /** A signed /deal request whose answer goes to a fresh response_url on the fake server. */
  async function ask(
    text: string,
    fields: Record<string, string | undefined> = {},
    sign: { timestamp?: number; signature?: string } = {},
  ) {
    const id = `r${++n}`;
    const body = slashCommandBody({ command: '/deal', text, response_url: h.fake.responseUrl(id), ...fields });
    const ack = await postSlashCommand(h.eventsUrl, body, { secret: SIGNING_SECRET, ...sign });
    const answer = () => h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id)?.body);
    return { id, ack, answer };
  }

  it('acknowledges at once and sends the answer privately through response_url', async () => {
    const { ack, answer } = await ask('facts');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const body = await answer();
    expect(body.response_type).toBe('ephemeral');
    const blocks = body.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^Key facts — /) } });
    expect(String(body.text)).toMatch(/^Key facts — /);
    expect(seen).toEqual([
      {
        platform: 'slack',
        command: 'deal',
        text: 'facts',
        user: { id: 'U2147483697', name: 'Steve' },
        channel: { id: 'C2147483705' },
      },
    ]);
    // The bot's identity was checked at start, through SLACK_API_URL: no request waits for it.
    expect(h.fake.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('posts in the channel when the user says "share"', async () => {
    const { answer } = await ask('facts share');
    expect((await answer()).response_type).toBe('in_channel');
  });

  it('never waits for the engine before acknowledging', async () => {
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const { ack, answer } = await ask('reactions');
    // The ack is back while the engine is still blocked.
    expect(ack.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(h.fake.responses.some((r) => r.id === `r${n}`)).toBe(false);
    release();
    expect((await answer()).blocks).toBeDefined();
  });

  it('refuses a forged signature and never reaches the engine', async () => {
    const { ack } = await ask('facts', {}, { signature: `v0=${'0'.repeat(64)}` });
    expect(ack.status).toBe(401);
    const unsigned = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: slashCommandBody({ command: '/deal', text: 'facts' }),
    });
    expect(unsigned.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('refuses a correctly signed request stamped 10 minutes in the past or the future, and says why in the log', async () => {
    const now = Math.floor(Date.now() / 1000);
    const logged = h.logs.length;
    const past = await ask('facts', {}, { timestamp: now - 10 * 60 });
    const future = await ask('facts', {}, { timestamp: now + 10 * 60 });
    expect(past.ack.status).toBe(401);
    expect(future.ack.status).toBe(401);
    expect(seen).toHaveLength(0);
    const why = h.logs.slice(logged).map((l) => String(l.msg));
    expect(why).toContainEqual(expect.stringMatching(/stamped 10 min in the past/));
    expect(why).toContainEqual(expect.stringMatching(/stamped 10 min in the future.*clock/));
  });

  it('accepts a correctly signed request stamped now, and one 4 minutes ahead (inside the five)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await ask('facts', {}, { timestamp: now })).ack.status).toBe(200);
    expect((await ask('facts', {}, { timestamp: now + 4 * 60 })).ack.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('lets a configured admin run an admin-only subcommand, by user id', async () => {
    const { answer } = await ask('secret', { user_id: 'UADMIN01', user_name: 'alice' });
    const body = await answer();
    expect(JSON.stringify(body.blocks)).toContain('The admin secret');
    expect(seen[0]?.user.id).toBe('UADMIN01');
  });

  it('refuses the admin subcommand to others, even one whose name looks like an admin id', async () => {
    const { answer } = await ask('secret', { user_id: 'U0NOTADMIN', user_name: 'UADMIN01' });
    const blocks = JSON.stringify((await answer()).blocks);
    expect(blocks).toContain('/deal secret is for admins');
    expect(blocks).toContain('U0NOTADMIN');
    expect(blocks).not.toContain('The admin secret');
  });

  it('escapes what the user typed when it comes back in the answer', async () => {
    const { answer } = await ask('<!channel> <@U123>');
    const body = await answer();
    const all = JSON.stringify(body);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U123>');
  });

  it("hands the engine the text as typed: Slack's &amp;, &lt; and &gt; decoded", async () => {
    const { answer } = await ask('search M&amp;A &lt;tariffs&gt; https://x.example/a?id=7&amp;utm_source=rss');
    await answer();
    expect(seen[0]?.text).toBe('search M&A <tariffs> https://x.example/a?id=7&utm_source=rss');
  });

  it('answers another command name with a hint instead of running the engine', async () => {
    const { ack } = await ask('facts', { command: '/weather' });
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('answers /deal, not /weather'),
    });
    expect(seen).toHaveLength(0);
  });

  it('acks a signed but malformed body with an apology and keeps it from the engine', async () => {
    const { ack } = await ask('facts', { user_id: undefined });
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body).text).toMatch(/could not read/);
    expect(seen).toHaveLength(0);
    expect(h.logs.some((l) => l.msg === 'malformed slash command')).toBe(true);
  });

  it('logs, and does not crash, when the response_url refuses the answer', async () => {
    h.fake.queue(`respond:r${n + 1}`, { status: 404 });
    const { ack } = await ask('facts');
    expect(ack.status).toBe(200);
    await h.fake.waitFor(() => h.logs.some((l) => l.msg === 'could not send the answer to Slack'));
    // Still serving.
    const next = await ask('timeline');
    expect((await next.answer()).response_type).toBe('ephemeral');
  });
});

describe('Slack HTTP mode start', () => {
  it('says which port it could not listen on', async () => {
    const first = await startSlackHarness();
    const port = first.adapter.address!.port;
    const second = await startSlackHarness({ start: false });
    const clash = new SlackAdapter({
      env: {
        mode: 'http',
        botToken: 'xoxb-test-token',
        signingSecret: SIGNING_SECRET,
        port,
        apiUrl: second.fake.apiUrl,
      },
      logger: silentLogger(),
      getConfig: () => config,
      host: '127.0.0.1',
    });
    await expect(
      clash.start(async () => ({ message: { title: '', sections: [] }, visibility: 'private' })),
    ).rejects.toThrow(`Slack: cannot listen on port ${port} (SLACK_PORT)`);
    await second.close();
    await first.close();
  });
});
