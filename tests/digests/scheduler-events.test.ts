import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { candidate, config, FakePlatform, MemoryCandidates, tempDbFile } from './helpers.js';
import { startScheduler, type RunningScheduler } from './scheduler-harness.js';

let running: RunningScheduler | undefined;
beforeEach(() => vi.useFakeTimers());
afterEach(async () => {
  await running?.stop();
  running = undefined;
  vi.useRealTimers();
});

const entry = (channel: string, cron: string, tz = 'UTC') => ({
  platform: 'slack',
  channel,
  cron,
  timezone: tz,
  quiet_day: 'short-line',
});

describe('scheduler events', () => {
  it('delivers a slot node-cron reports as missed (the event loop was blocked past it), once and marked late', async () => {
    vi.setSystemTime(new Date('2025-03-10T07:59:59.000Z'));
    const platform = new FakePlatform();
    running = await startScheduler({
      file: tempDbFile(),
      config: config([entry('C1', '0 8 * * *')]),
      platform,
      candidates: new MemoryCandidates([candidate({ story: { firstSeen: '2025-03-10T07:00:00.000Z' } })]),
    });
    // The clock jumps five minutes while no timer can run, as when the process is blocked or asleep.
    vi.setSystemTime(new Date('2025-03-10T08:05:00.000Z'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(platform.posts).toHaveLength(1);
    expect(platform.posts[0]!.message.footer).toMatch(/^Sent late: due at 08:00 \(UTC\)/);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(platform.posts).toHaveLength(1);
  });

  it('applies a reloaded config: new schedules start, removed ones stop, a changed time starts afresh', async () => {
    vi.setSystemTime(new Date('2025-03-10T06:00:00.000Z'));
    const platform = new FakePlatform();
    let current: Config = config([entry('C1', '0 8 * * *'), entry('C2', '0 9 * * *')]);
    running = await startScheduler({
      file: tempDbFile(),
      config: () => current,
      platform,
      candidates: new MemoryCandidates(),
    });
    current = config([entry('C1', '30 7 * * *'), entry('C3', '0 10 * * *')]);
    await running.scheduler.reload();
    expect(running.scheduler.nextRuns().map((r) => [r.key, r.next?.toISOString()])).toEqual([
      ['slack:C1 30 7 * * * UTC', '2025-03-10T07:30:00.000Z'],
      ['slack:C3 0 10 * * * UTC', '2025-03-10T10:00:00.000Z'],
    ]);
    await vi.advanceTimersByTimeAsync(5 * 60 * 60_000);
    expect(platform.posts.map((p) => `${p.channel} ${p.at}`)).toEqual([
      'C1 2025-03-10T07:30:00.000Z',
      'C3 2025-03-10T10:00:00.000Z',
    ]);
  });
});
