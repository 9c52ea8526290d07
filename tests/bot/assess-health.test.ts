import { describe, expect, it } from 'vitest';
import { assessHealth, formatSpan, type HealthInput } from '../../src/bot/assess-health.js';
import type { BotStatus } from '../../src/bot/bot-status.js';
import { configSchema } from '../../src/config/schema.js';
import type { FeedState } from '../../src/store/store.js';
import { freshFeedState } from '../../src/feeds/poll-feed.js';

/** The verdict of `dealbot health` and /healthz, on plain data: a status file's content and feed states. */

const NOW = new Date('2026-03-02T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

const feeds = configSchema.parse({
  feeds: {
    defaults: { poll_interval: '15m' },
    list: [
      { id: 'wire', url: 'https://wire.example/rss' },
      { id: 'hourly', url: 'https://hourly.example/rss', poll_interval: '1h' },
      { id: 'off', url: 'https://off.example/rss', enabled: false },
    ],
  },
}).feeds;

function status(overrides: Partial<BotStatus> = {}): BotStatus {
  return {
    pid: 4242,
    startedAt: ago(2 * 60 * MIN),
    heartbeatAt: ago(10_000),
    stoppedAt: null,
    adapters: [
      { platform: 'slack', connected: true, since: ago(2 * 60 * MIN) },
      { platform: 'discord', connected: true, since: ago(2 * 60 * MIN) },
    ],
    ...overrides,
  };
}

function feedState(feedId: string, lastSuccessAt: string | null): FeedState {
  return {
    ...freshFeedState({ id: feedId, url: `https://${feedId}.example/rss` }, null),
    lastPollAt: lastSuccessAt,
    lastStatus: 200,
    lastSuccessAt,
    status: 'ok',
  };
}

function assess(overrides: Partial<HealthInput>) {
  return assessHealth({
    status: status(),
    statusFile: '/data/dealbot.db-status.json',
    feeds,
    feedStates: [],
    now: NOW,
    ...overrides,
  });
}

describe('assessHealth', () => {
  it('is healthy after a poll, naming the bot, its adapters and the newest successful poll', () => {
    const r = assess({ feedStates: [feedState('wire', ago(4 * MIN)), feedState('hourly', ago(40 * MIN))] });
    expect(r.healthy).toBe(true);
    expect(r.line).toBe(
      'healthy: bot up 2h (pid 4242), slack and discord connected, last successful poll 4m ago (feed "wire")',
    );
    expect(r.lastPoll).toEqual({ feedId: 'wire', at: ago(4 * MIN) });
  });

  it('is healthy on a fresh database while the bot is young: no poll yet is not a failure', () => {
    const r = assess({ status: status({ startedAt: ago(20_000) }) });
    expect(r.healthy).toBe(true);
    expect(r.line).toContain('no successful poll yet (2 feeds enabled)');
  });

  it('is unhealthy when no bot ever wrote a status file, and says how to start one', () => {
    const r = assess({ status: null });
    expect(r.healthy).toBe(false);
    expect(r.line).toBe(
      'unhealthy: no bot has run with this database (/data/dealbot.db-status.json is missing); start it with npm start or npx dealbot run',
    );
  });

  it('is unhealthy when the heartbeat is stale (a killed or stuck bot), but not at 90 s', () => {
    expect(assess({ status: status({ heartbeatAt: ago(90_000) }) }).healthy).toBe(true);
    const r = assess({ status: status({ heartbeatAt: ago(5 * MIN) }) });
    expect(r.healthy).toBe(false);
    expect(r.line).toBe(
      'unhealthy: no heartbeat from the bot (pid 4242) for 5m (/data/dealbot.db-status.json); it is stuck or was killed: check its log',
    );
  });

  it('is unhealthy when the bot stopped cleanly', () => {
    const r = assess({ status: status({ stoppedAt: ago(3 * MIN) }) });
    expect(r.healthy).toBe(false);
    expect(r.line).toBe(`unhealthy: the bot (pid 4242) stopped 3m ago, at ${ago(3 * MIN)}`);
  });

  it('gives a dropped connection two minutes to come back, then says which platform is down', () => {
    const reconnecting = status({
      adapters: [
        { platform: 'slack', connected: true, since: ago(60 * MIN) },
        { platform: 'discord', connected: false, since: ago(30_000) },
      ],
    });
    const young = assess({ status: reconnecting, feedStates: [feedState('wire', ago(MIN))] });
    expect(young.healthy).toBe(true);
    expect(young.line).toContain('slack connected, discord reconnecting');

    const down = status({
      adapters: [
        { platform: 'slack', connected: true, since: ago(60 * MIN) },
        { platform: 'discord', connected: false, since: ago(7 * MIN) },
      ],
    });
    const r = assess({ status: down });
    expect(r.healthy).toBe(false);
    expect(r.line).toBe(
      `unhealthy: discord disconnected for 7m (since ${ago(7 * MIN)}); check the bot's log and its network`,
    );
  });

  it('is unhealthy when no enabled feed has polled successfully for 3× the longest poll_interval', () => {
    // The longest enabled interval is 1h ("off" is disabled and ignored), so the limit is 3h.
    const fine = assess({
      feedStates: [feedState('wire', ago(170 * MIN))],
      status: status({ startedAt: ago(10 * 60 * MIN) }),
    });
    expect(fine.healthy).toBe(true);
    const r = assess({
      status: status({ startedAt: ago(5 * 60 * MIN) }),
      feedStates: [feedState('wire', ago(4 * 60 * MIN)), feedState('off', ago(MIN))],
    });
    expect(r.healthy).toBe(false);
    expect(r.line).toBe(
      `unhealthy: no feed polled successfully for 4h (last success ${ago(4 * 60 * MIN)} from feed "wire"; limit 3h, 3× the longest poll_interval); npx dealbot feeds shows each feed's last error`,
    );
    const never = assess({ status: status({ startedAt: ago(5 * 60 * MIN) }) });
    expect(never.line).toContain('no feed polled successfully for 5h (none since the bot started;');
  });

  it('has nothing to say about polls when no feed is enabled', () => {
    const r = assess({ feeds: configSchema.parse({}).feeds });
    expect(r.healthy).toBe(true);
    expect(r.line).toContain('no feeds enabled');
  });
});

describe('formatSpan', () => {
  it('uses the two largest units that matter', () => {
    expect(formatSpan(40_000)).toBe('40s');
    expect(formatSpan(12 * MIN)).toBe('12m');
    expect(formatSpan(185 * MIN)).toBe('3h 5m');
    expect(formatSpan(52 * 60 * MIN)).toBe('2d 4h');
    expect(formatSpan(-5)).toBe('0s');
  });
});
