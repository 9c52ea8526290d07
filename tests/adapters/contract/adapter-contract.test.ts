import { asyncFromSync } from '../../../src/store/async-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { readerText } from '../../../src/briefs/brief-message.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import { loadBriefs } from '../../../src/briefs/load-briefs.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import { configSchema } from '../../../src/config/schema.js';
import type { Message } from '../../../src/messages/message.js';
import { citationText } from '../../../src/render/item-parts.js';
import { openSyncStore } from '../../helpers/sync-store.js';
import { MatchService } from '../../../src/bot/match-service.js';
import { shippedBriefs } from '../../helpers/paths.js';
import type { ContractDriver, ContractSession, Delivery } from './drivers/contract-driver.js';
import { discordDriver } from './drivers/discord-driver.js';
import { slackDriver } from './drivers/slack-driver.js';
import { terminalDriver } from './drivers/terminal-driver.js';

/**
 * The chat adapter contract: the same /deal commands go into every adapter, the
 * real way each platform sends them, and the same content must come out, each in
 * its platform's form (Slack blocks on a response_url, Discord embeds on an
 * interaction callback, terminal text). Each driver reads its platform's form back
 * into the lines a person would see, so one set of expectations serves all three.
 * Everything runs against local fakes on 127.0.0.1.
 */

const DRIVERS: ContractDriver[] = [terminalDriver, slackDriver, discordDriver];

const BRIEF_ID = 'us-japan-rare-earths-2025';
const FEED_ID = 'contract-wire';
const NOW = new Date('2025-10-29T09:00:00Z');

const config = configSchema.parse({
  admins: {
    terminal: { users: [terminalDriver.users.admin] },
    slack: { users: [slackDriver.users.admin] },
    discord: { users: [discordDriver.users.admin] },
  },
  // Never fetched: it only gives /deal feeds a row to show.
  feeds: { list: [{ id: FEED_ID, url: 'http://127.0.0.1:9/contract-wire.xml' }] },
});
const briefs = new BriefRegistry(await loadBriefs(shippedBriefs), BRIEF_ID);
const store = openSyncStore(':memory:');
const engine = createCommandEngine({
  getConfig: () => config,
  getBriefs: () => briefs,
  services: { store: asyncFromSync(store) },
  now: () => NOW,
});
afterAll(() => store.close());

// Two events tied to the brief: the signing (its timeline reports it) and Toyota's answer
// to Trump's $10bn figure (no entry reports it): /deal updates lists the second only.
const TOYOTA = "Toyota says Trump's $10 billion figure reflects existing US plans, not new investment";
const SIGNING = 'Trump and Takaichi sign rare earths framework in Tokyo';
const seeded = store.stories.upsert(
  [
    [TOYOTA, 'https://www.reuters.com/business/toyota-10-billion', '2025-10-29T01:00:00Z'],
    [
      'Toyota: No new US investment decision despite Trump remarks',
      'https://english.kyodonews.net/toyota',
      '2025-10-29T02:00:00Z',
    ],
    [SIGNING, 'https://apnews.com/article/trump-takaichi-sign', '2025-10-28T03:00:00Z'],
  ].map(([title, url, published]) => ({
    id: `url:${url}`,
    feedId: 'contract-seed',
    title: title!,
    summary: '',
    url: url!,
    published: published!,
    author: null,
    lang: 'en',
  })),
  { seenAt: new Date(NOW.getTime() - 3_600_000).toISOString() },
);
await new MatchService({
  store: asyncFromSync(store),
  getBriefs: () => briefs,
  getConfig: () => config,
  now: () => NOW,
}).matchStories(seeded.insertedIds);

const facts = briefs.default.sections.facts ?? [];

/** What the core itself answers, before any adapter: the content every platform must carry. */
async function coreAnswer(driver: ContractDriver, text: string, userId: string): Promise<Message> {
  const invocation: CommandInvocation = {
    platform: driver.platform,
    command: config.bot.command,
    text,
    user: { id: userId },
    channel: { id: driver.channel },
  };
  return (await engine(invocation)).message;
}

/** Every item of the core's answer (text, and who said it) appears in what the platform shows. */
function expectSameContent(delivery: Delivery, message: Message): void {
  const items = message.sections.flatMap((s) => s.items);
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    expect(delivery.lines).toContainEqual(expect.stringContaining(item.text));
    if (item.attribution) expect(delivery.lines).toContainEqual(expect.stringContaining(`${item.attribution}: `));
  }
}

const shows = (delivery: Delivery, text: string | RegExp) =>
  expect(delivery.lines).toContainEqual(
    typeof text === 'string' ? expect.stringContaining(text) : expect.stringMatching(text),
  );

describe.each(DRIVERS.map((d) => [d.platform, d] as const))('%s adapter contract', (_platform, driver) => {
  let session: ContractSession;
  const { admin, member } = driver.users;
  // Each command is sent once per platform; the cases below read the same answer.
  const answers = new Map<string, Promise<Delivery>>();
  const ask = (text: string, userId: string) => {
    const key = `${userId} ${text}`;
    if (!answers.has(key)) answers.set(key, session.ask(text, userId));
    return answers.get(key)!;
  };

  beforeAll(async () => {
    session = await driver.start({ config, handler: engine });
  });
  afterAll(() => session?.stop());

  it("/deal facts: the brief's facts, first to last, with their citation marks", async () => {
    const answer = await ask('facts', member);
    expect(facts.length).toBeGreaterThan(1);
    shows(answer, /^Key facts — /);
    // As readers see them: an editor's "article 003" becomes its citation number.
    shows(answer, readerText(briefs.default, facts[0]!.text).text);
    shows(answer, readerText(briefs.default, facts.at(-1)!.text).text);
    const core = await coreAnswer(driver, 'facts', member);
    expectSameContent(answer, core);
    // "[1]" as a citation mark, and the first fact's own marks exactly as the core numbers them.
    shows(answer, '[1]');
    const firstMarks = citationText(core.sections[0]!.items[0]!.citations);
    expect(firstMarks).toMatch(/^(\[\d+\]){2,}$/);
    shows(answer, firstMarks);
  });

  it('/deal reactions share: Beijing, the EU, markets, Takaichi and Trump', async () => {
    const answer = await ask('reactions share', member);
    shows(answer, /^Reactions — /);
    for (const who of [/Beijing|China/, /\bEU\b|European Union/, /\bmarkets\b/i, /Takaichi/, /Trump/])
      shows(answer, who);
    expectSameContent(answer, await coreAnswer(driver, 'reactions share', member));
  });

  it('an unknown subcommand: help with "Did you mean"', async () => {
    const answer = await ask('factz', member);
    shows(answer, 'I don\'t know "factz". Did you mean /deal facts?');
    shows(answer, '/deal facts');
    // Help for a member leaves out the admin-only commands.
    expect(answer.lines).not.toContainEqual(expect.stringContaining('/deal feeds'));
  });

  it('/deal feeds from a member: the polite refusal, with no feed in it', async () => {
    const answer = await ask('feeds', member);
    shows(answer, '/deal feeds is for admins');
    shows(answer, `add your user id (${member}) under admins.${driver.platform} in the config`);
    expect(answer.lines).not.toContainEqual(expect.stringContaining(FEED_ID));
  });

  it('/deal updates from an admin: the events tied to the brief that no entry reports yet', async () => {
    const answer = await ask('updates', admin);
    shows(answer, 'New: not in the brief');
    shows(answer, /Toyota/);
    expect(answer.lines).not.toContainEqual(expect.stringContaining(SIGNING));
    expect((await ask('updates', member)).lines).toContainEqual(expect.stringContaining('/deal updates is for admins'));
  });

  it('/deal feeds from an admin (admins.<platform> in the config): the feed health answer', async () => {
    const answer = await ask('feeds', admin);
    shows(answer, /^Feeds$/);
    shows(answer, '1 feed, 0 ok, 1 new');
    shows(answer, `${FEED_ID}: new (not polled yet)`);
    expect(answer.lines).not.toContainEqual(expect.stringContaining('is for admins'));
  });

  it.skipIf(driver.notApplicable.visibility)(
    driver.notApplicable.visibility
      ? `visibility — skipped: ${driver.notApplicable.visibility}`
      : 'answers privately unless shared (ephemeral / flags 64)',
    async () => {
      expect((await ask('facts', member)).visibility).toBe('private');
      expect((await ask('reactions share', member)).visibility).toBe('channel');
      expect((await ask('factz', member)).visibility).toBe('private');
      expect((await ask('feeds', member)).visibility).toBe('private');
      expect((await ask('feeds', admin)).visibility).toBe('private');
    },
  );

  it('a posted message with mention and link syntax arrives inert, shown as written', async () => {
    const injection = '<!channel> @everyone <@U123> [x](https://evil.example)';
    const { delivery } = await session.post({
      title: 'Alert \u001b[2J\u001b[31mred\u202e',
      sections: [{ items: [{ text: injection }] }],
    });
    expect(session.liveMarkup(delivery)).toEqual([]);
    shows(delivery, injection);
    shows(delivery, 'Alert [2J[31mred');
  });

  it('postToChannel returns a distinct messageId per post, and the post carries the message', async () => {
    const first = await session.post({
      title: 'Morning digest',
      sections: [{ items: [{ text: 'Tokyo and Washington sign the rare-earths pact' }] }],
    });
    const second = await session.post({
      title: 'Evening digest',
      sections: [{ items: [{ text: 'Markets react to the pact' }] }],
    });
    expect(first.receipt.messageId).toMatch(/\S/);
    expect(second.receipt.messageId).toMatch(/\S/);
    expect(second.receipt.messageId).not.toBe(first.receipt.messageId);
    expect(first.receipt.channelId).toBe(driver.channel);
    shows(first.delivery, 'Tokyo and Washington sign the rare-earths pact');
    shows(second.delivery, 'Evening digest');
  });

  it.skipIf(driver.notApplicable.findPosted)(
    driver.notApplicable.findPosted
      ? `findPosted — skipped: ${driver.notApplicable.findPosted}`
      : 'findPosted recognises a keyed post, so a second attempt is not posted twice',
    async () => {
      const key = `digest:${driver.channel}:2025-10-29`;
      const since = new Date();
      await session.post({ title: 'Unkeyed alert', sections: [] });
      const { receipt } = await session.post(
        { title: 'Morning digest', sections: [{ items: [{ text: 'A story' }] }] },
        { idempotencyKey: key },
      );
      await session.post({ title: 'Later alert', sections: [] });
      expect(typeof session.adapter.findPosted).toBe('function');
      expect(await session.adapter.findPosted!(driver.channel, key)).toEqual(receipt);
      expect(await session.adapter.findPosted!(driver.channel, `digest:${driver.channel}:2025-10-30`)).toBeNull();
      // Looking back to the first attempt finds it too.
      expect(await session.adapter.findPosted!(driver.channel, key, { since })).toEqual(receipt);
      expect(
        await session.adapter.findPosted!(driver.channel, `digest:${driver.channel}:2025-10-30`, { since }),
      ).toBeNull();
    },
  );

  it.runIf(driver.notApplicable.findPosted)('has no findPosted (why the findPosted case is skipped)', () => {
    expect(session.adapter.findPosted).toBeUndefined();
  });
});
