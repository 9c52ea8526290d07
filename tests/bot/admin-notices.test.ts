import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdminNotices } from '../../src/bot/admin-notices.js';
import { createLogger } from '../../src/log/logger.js';
import type { Message } from '../../src/messages/message.js';
import { config, FakePlatform } from '../digests/helpers.js';

const T0 = '2025-03-10T08:00:00.000Z';
const CFG = config(
  [
    { platform: 'slack', channel: 'C-DIGEST', cron: '0 9 * * *' },
    { platform: 'discord', channel: 'D-DIGEST', cron: '0 9 * * *' },
  ],
  { admins: { notices: { platform: 'slack', channel: 'C-ADMIN' } } },
);
const NOTICE: Message = {
  title: 'A digest for slack:C1 has kept failing for 10 min',
  sections: [{ items: [{ text: 'The platform said: 503' }] }],
};

const cleanups: (() => Promise<void>)[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(T0));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  vi.useRealTimers();
});

function logLines() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (d: Buffer) => {
    for (const l of d.toString('utf8').split('\n').filter(Boolean))
      lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  return { logger: createLogger({ level: 'info', destination: stream }), lines };
}

function setup(slackPlan: 'fail'[], discordPlan: 'fail'[] = []) {
  const slack = new FakePlatform();
  const discord = new FakePlatform();
  slack.next(...slackPlan);
  discord.next(...discordPlan);
  const { logger, lines } = logLines();
  const notices = new AdminNotices({
    getConfig: () => CFG,
    adapters: [slack.adapter({ platform: 'slack' }), discord.adapter({ platform: 'discord' })],
    logger,
  });
  cleanups.push(() => notices.stop());
  return { slack, discord, notices, lines };
}

describe('notices to admins are deliveries too', () => {
  it('go to admins.notices', async () => {
    const { slack, discord, notices } = setup([]);
    notices.tell(NOTICE);
    await notices.idle();
    expect(slack.posts.map((p) => [p.channel, p.message.title])).toEqual([['C-ADMIN', NOTICE.title]]);
    expect(discord.posts).toEqual([]);
  });

  it("when the notices channel's platform is down, are shown on the other platform, saying why", async () => {
    const { slack, discord, notices } = setup(['fail']);
    notices.tell(NOTICE);
    await notices.idle();
    expect(slack.posts).toEqual([]);
    expect(discord.posts.map((p) => p.channel)).toEqual(['D-DIGEST']);
    expect(discord.posts[0]!.message.intro).toBe(
      "For the bot's admins: admins.notices (slack:C-ADMIN) could not be reached (slack:C-ADMIN: platform said 503).",
    );
  });

  it('when no platform takes them, are logged with their text at once, retried, and shown when one comes back', async () => {
    const { slack, discord, notices, lines } = setup(['fail', 'fail'], ['fail', 'fail']);
    notices.tell(NOTICE);
    await vi.advanceTimersByTimeAsync(0);
    const line = lines.find(
      (l) => l.msg === 'admin notice could not be shown on any platform; it is retried (its text is here)',
    );
    expect(line).toMatchObject({ level: 50, notice: NOTICE.title, text: 'The platform said: 503', retryInMs: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000); // both fail again
    expect(slack.posts.length + discord.posts.length).toBe(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(slack.posts.map((p) => p.channel)).toEqual(['C-ADMIN']);
    await notices.idle();
  });
});

describe('without admins.notices', () => {
  it("never posts in a readers' channel: the notice is only logged", async () => {
    const slack = new FakePlatform();
    const { logger, lines } = logLines();
    const notices = new AdminNotices({
      getConfig: () => config([{ platform: 'slack', channel: 'C-DIGEST', cron: '0 9 * * *' }]),
      adapters: [slack.adapter({ platform: 'slack' })],
      logger,
      retry: { delaysMs: [] },
    });
    cleanups.push(() => notices.stop());
    notices.tell(NOTICE);
    await notices.idle();
    expect(slack.posts).toEqual([]);
    expect(lines.find((l) => l.msg === 'admin notice dropped: no channel took it')).toMatchObject({
      text: 'The platform said: 503',
    });
  });
});
