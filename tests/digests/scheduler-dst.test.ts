import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wallClockOf } from '../../src/digests/wall-clock.js';
import { candidate, config, FakePlatform, MemoryCandidates, tally, tempDbFile } from './helpers.js';
import { advance, startScheduler, type RunningScheduler } from './scheduler-harness.js';

const NY = 'America/New_York';
const DAY = 86_400_000;
let running: RunningScheduler | undefined;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  vi.useRealTimers();
});

function localOf(iso: string, tz: string): string {
  const w = wallClockOf(new Date(iso), tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/** One story a day at 05:00 UTC (before any of the schedules below), for `days` days from `from`. */
function dailyStories(from: string, days: number): MemoryCandidates {
  const list = Array.from({ length: days }, (_, i) => {
    const firstSeen = new Date(Date.parse(from) + i * DAY + 5 * 3_600_000).toISOString();
    return candidate({ storyId: `day-${i}`, story: { firstSeen } });
  });
  return new MemoryCandidates(list);
}

async function runSchedule(cron: string, tz: string, from: string, days: number) {
  const platform = new FakePlatform();
  const candidates = dailyStories(from, days);
  vi.setSystemTime(new Date(from));
  running = await startScheduler({
    file: tempDbFile(),
    config: config([{ platform: 'slack', channel: 'C1', cron, timezone: tz, quiet_day: 'short-line' }]),
    platform,
    candidates,
  });
  await advance(days * DAY);
  return { platform, candidates };
}

describe('digest schedules under fake time, across daylight-saving changes', () => {
  it('Washington weekdays 08:00: one digest each weekday through the March change, each at 08:00 local, every story once', async () => {
    const { platform } = await runSchedule('0 8 * * 1-5', NY, '2025-03-03T00:00:00Z', 12);
    const times = platform.posts.map((p) => localOf(p.at, NY));
    expect(times).toEqual([
      '2025-03-03 08:00',
      '2025-03-04 08:00',
      '2025-03-05 08:00',
      '2025-03-06 08:00',
      '2025-03-07 08:00',
      '2025-03-10 08:00',
      '2025-03-11 08:00',
      '2025-03-12 08:00',
      '2025-03-13 08:00',
      '2025-03-14 08:00',
    ]);
    // The weekend's stories arrive on Monday; no story twice, none lost.
    const counts = tally(platform.storyUrls());
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(platform.posts[5]!.message.sections[0]!.items).toHaveLength(3);
  });

  it('Washington weekdays 08:00: one digest each weekday through the November change', async () => {
    const { platform } = await runSchedule('0 8 * * 1-5', NY, '2025-10-27T00:00:00Z', 12);
    const days = platform.posts.map((p) => localOf(p.at, NY));
    expect(days).toHaveLength(10);
    expect(days.every((d) => d.endsWith('08:00'))).toBe(true);
    expect(new Set(days.map((d) => d.slice(0, 10))).size).toBe(10);
    expect([...tally(platform.storyUrls()).values()].every((n) => n === 1)).toBe(true);
  });

  it('Tokyo 08:30 daily runs at 08:30 JST while New York changes its clocks', async () => {
    const { platform } = await runSchedule('30 8 * * *', 'Asia/Tokyo', '2025-03-07T00:00:00Z', 4);
    expect(platform.posts.map((p) => p.at)).toEqual([
      '2025-03-07T23:30:00.000Z',
      '2025-03-08T23:30:00.000Z',
      '2025-03-09T23:30:00.000Z',
      '2025-03-10T23:30:00.000Z',
    ]);
  });

  it('a 02:30 schedule is not skipped on the spring-forward day: it runs once, at 03:30', async () => {
    const { platform } = await runSchedule('30 2 * * *', NY, '2025-03-07T12:00:00Z', 4);
    expect(platform.posts.map((p) => localOf(p.at, NY))).toEqual([
      '2025-03-08 02:30',
      '2025-03-09 03:30',
      '2025-03-10 02:30',
      '2025-03-11 02:30',
    ]);
  });

  it('a 01:30 schedule is not doubled on the fall-back day', async () => {
    const { platform } = await runSchedule('30 1 * * *', NY, '2025-10-31T12:00:00Z', 4);
    expect(platform.posts.map((p) => p.at)).toEqual([
      '2025-11-01T05:30:00.000Z',
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:30:00.000Z',
      '2025-11-04T06:30:00.000Z',
    ]);
  });
});
