import { promised } from '../../src/store/async-store.js';
import { describe, expect, it, vi } from 'vitest';
import { createDigestJob } from '../../src/bot/digest-job.js';
import { AlertDispatcher } from '../../src/digests/alerts.js';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { silentLogger } from '../../src/log/logger.js';
import {
  BRIEFS,
  candidate,
  config,
  FakePlatform,
  MemoryCandidates,
  openLedger,
  tempDbFile,
  fakeClockEachTest,
} from './helpers.js';

const T0 = '2025-03-10T08:00:00.000Z';
const MIN = 60_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const ALERTS = { enabled: true, min_score: 0.8, max_per_hour: 10 };
const CFG = config([
  { platform: 'slack', channel: 'C-SLACK', cron: '0 9 * * *', timezone: 'UTC', alerts: ALERTS },
  { platform: 'discord', channel: 'D-DISC', cron: '0 9 * * *', timezone: 'UTC', alerts: ALERTS },
]);

const cleanups = fakeClockEachTest(T0);

describe('each channel has its own delivery queue', () => {
  it("a failing Slack channel's retries do not hold up a healthy Discord channel's alerts", async () => {
    const { ledger, close } = openLedger(tempDbFile());
    cleanups.push(close);
    const slack = new FakePlatform();
    const discord = new FakePlatform();
    slack.next(...Array<'fail'>(20).fill('fail'));
    const adapters = { slack: slack.adapter({ platform: 'slack' }), discord: discord.adapter({ platform: 'discord' }) };
    const logger = silentLogger();
    const now = () => new Date();
    const deliverer = new DigestDeliverer({
      ledger: promised(ledger),
      adapterFor: (p) => adapters[p as 'slack' | 'discord'],
      logger,
      now,
    });
    cleanups.push(() => deliverer.stop());
    const candidates = new MemoryCandidates([candidate({ storyId: 'first', score: 0.9, story: { firstSeen: T0 } })]);
    const alerts = new AlertDispatcher({
      getConfig: () => CFG,
      getBriefs: () => BRIEFS,
      ledger: promised(ledger),
      candidates,
      deliverer,
      hasAdapter: () => true,
      logger,
      now,
    });

    // The sweep returns once each channel has posted or started waiting to retry.
    await alerts.sweep();
    expect(discord.posts.map((p) => p.at)).toEqual([T0]);
    expect(slack.posts).toEqual([]);
    expect(ledger.pending('slack:C-SLACK')).toHaveLength(1);

    // Slack is deep in its retry cycle; news for both channels a few minutes later goes to Discord at once.
    await vi.advanceTimersByTimeAsync(3 * MIN);
    candidates.add(candidate({ storyId: 'second', score: 0.95, story: { firstSeen: at(3 * MIN) } }));
    await alerts.sweep();
    expect(discord.posts.map((p) => p.at)).toEqual([T0, at(3 * MIN)]);
    expect(slack.posts).toEqual([]);
    // Slack keeps its own order: both alerts wait behind its first, none is lost.
    expect(ledger.pending('slack:C-SLACK').map((d) => d.kind)).toEqual(['alert', 'alert']);
    expect(slack.calls.filter((c) => c.startsWith('post'))).toHaveLength(4); // 0, 5 s, 35 s, 2 min 35 s
  });
});

describe('a newly configured alert channel', () => {
  it('gets alerts from the first poll: its schedule is registered when the digest job is created, before polling starts', async () => {
    const { ledger, close } = openLedger(tempDbFile());
    cleanups.push(close);
    const platform = new FakePlatform();
    const candidates = new MemoryCandidates();
    const job = createDigestJob({
      getConfig: () => config([{ platform: 'slack', channel: 'C-NEW', cron: '0 9 * * *', alerts: ALERTS }]),
      getBriefs: () => BRIEFS,
      ledger: promised(ledger),
      candidates,
      adapters: [platform.adapter({ platform: 'slack' })],
      logger: silentLogger(),
    });
    cleanups.push(() => job.stop());
    // As main.ts does before starting the feeds: the schedule's first-seen time is recorded.
    await job.registered;
    // The feed watcher's first poll stores a story a moment later; the job starts after it.
    vi.setSystemTime(new Date(Date.parse(T0) + 2));
    candidates.add(candidate({ storyId: 'breaking', score: 0.95, story: { firstSeen: at(2) } }));
    vi.setSystemTime(new Date(Date.parse(T0) + 5));
    await job.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts.map((p) => p.message.title)).toEqual(['Alert — US–Japan rare-earths deal']);
    expect(ledger.getCursor('slack:C-NEW 0 9 * * * UTC')?.registeredAt).toBe(T0);
  });
});
