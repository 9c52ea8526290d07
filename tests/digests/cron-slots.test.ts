import { createTask } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CronSlots } from '../../src/digests/cron-slots.js';
import { wallClockOf } from '../../src/digests/wall-clock.js';

const made: CronSlots[] = [];
function slots(expr: string, tz: string): CronSlots {
  const s = new CronSlots(expr, tz);
  made.push(s);
  return s;
}
afterEach(() => {
  made.splice(0).forEach((s) => s.dispose());
  vi.useRealTimers();
});

/** "2025-03-10 08:00" on the zone's wall clock. */
function local(d: Date, tz: string): string {
  const w = wallClockOf(d, tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

describe('cron slots across time zones and daylight-saving changes', () => {
  it('runs a Washington weekday 08:00 digest once every weekday across the March change, always at 08:00 local', () => {
    const s = slots('0 8 * * 1-5', 'America/New_York');
    const runs = s.between(new Date('2025-03-03T00:00:00Z'), new Date('2025-03-15T00:00:00Z'));
    expect(runs.map((d) => local(d, 'America/New_York'))).toEqual([
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
    // 13:00 UTC before the change (EST), 12:00 UTC after (EDT).
    expect(runs[4]!.toISOString()).toBe('2025-03-07T13:00:00.000Z');
    expect(runs[5]!.toISOString()).toBe('2025-03-10T12:00:00.000Z');
  });

  it('runs it once every weekday across the November change too', () => {
    const runs = slots('0 8 * * 1-5', 'America/New_York').between(
      new Date('2025-10-27T00:00:00Z'),
      new Date('2025-11-08T00:00:00Z'),
    );
    expect(runs).toHaveLength(10);
    expect(new Set(runs.map((d) => local(d, 'America/New_York').slice(0, 10))).size).toBe(10);
    expect(runs.every((d) => local(d, 'America/New_York').endsWith('08:00'))).toBe(true);
    expect(runs.map((d) => d.toISOString())).toContain('2025-10-31T12:00:00.000Z');
    expect(runs.map((d) => d.toISOString())).toContain('2025-11-03T13:00:00.000Z');
  });

  it('runs a Tokyo 08:30 digest daily at 08:30 JST (no daylight saving there, whatever New York does)', () => {
    const runs = slots('30 8 * * *', 'Asia/Tokyo').between(
      new Date('2025-03-07T00:00:00Z'),
      new Date('2025-03-11T00:00:00Z'),
    );
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2025-03-07T23:30:00.000Z',
      '2025-03-08T23:30:00.000Z',
      '2025-03-09T23:30:00.000Z',
      '2025-03-10T23:30:00.000Z',
    ]);
  });

  it('does not skip a time that the spring-forward gap removes: 02:30 runs at 03:30 that day', () => {
    const runs = slots('30 2 * * *', 'America/New_York').between(
      new Date('2025-03-07T12:00:00Z'),
      new Date('2025-03-11T12:00:00Z'),
    );
    expect(runs.map((d) => local(d, 'America/New_York'))).toEqual([
      '2025-03-08 02:30',
      '2025-03-09 03:30',
      '2025-03-10 02:30',
      '2025-03-11 02:30',
    ]);
  });

  it('node-cron itself skips that day, which is why the scheduler arms a guard timer', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-08T12:00:00Z'));
    const task = createTask('30 2 * * *', () => undefined, { timezone: 'America/New_York' });
    try {
      expect(task.getNextRuns(1)[0]!.toISOString()).toBe('2025-03-10T06:30:00.000Z');
    } finally {
      void task.destroy();
    }
  });

  it('does not double a time that the fall-back hour repeats: 01:30 runs once, at its first occurrence', () => {
    const runs = slots('30 1 * * *', 'America/New_York').between(
      new Date('2025-10-31T12:00:00Z'),
      new Date('2025-11-04T12:00:00Z'),
    );
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2025-11-01T05:30:00.000Z',
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:30:00.000Z',
      '2025-11-04T06:30:00.000Z',
    ]);
  });

  it('keeps hourly schedules at one run per wall-clock hour through both changes', () => {
    const spring = slots('0 * * * *', 'America/New_York').between(
      new Date('2025-03-09T04:30:00Z'),
      new Date('2025-03-09T09:30:00Z'),
    );
    expect(spring.map((d) => local(d, 'America/New_York').slice(11))).toEqual([
      '00:00',
      '01:00',
      '03:00',
      '04:00',
      '05:00',
    ]);
    const fall = slots('0 * * * *', 'America/New_York').between(
      new Date('2025-11-02T03:30:00Z'),
      new Date('2025-11-02T09:30:00Z'),
    );
    expect(fall.map((d) => local(d, 'America/New_York').slice(11))).toEqual([
      '00:00',
      '01:00',
      '02:00',
      '03:00',
      '04:00',
    ]);
  });

  it('agrees with node-cron on ordinary days, including last-day-of-month schedules', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-15T00:00:00Z'));
    for (const [expr, tz] of [
      ['30 8 * * *', 'Asia/Tokyo'],
      ['0 8 * * 1-5', 'America/New_York'],
      ['0 9 L * *', 'Europe/London'],
      ['*/20 6-7 * * *', 'UTC'],
    ] as const) {
      const task = createTask(expr, () => undefined, { timezone: tz });
      try {
        const theirs = task.getNextRuns(5).map((d) => d.toISOString());
        const ours = slots(expr, tz)
          .between(new Date(), new Date('2025-07-01T00:00:00Z'))
          .slice(0, 5)
          .map((d) => d.toISOString());
        expect(ours, expr).toEqual(theirs);
      } finally {
        void task.destroy();
      }
    }
  });

  it('finds the latest slot at or before a time (what a restart catches up)', () => {
    const s = slots('0 8 * * 1-5', 'America/New_York');
    // Monday 10 March, 11:00 EDT: the latest slot is that morning's.
    expect(s.latestAtOrBefore(new Date('2025-03-10T15:00:00Z'))?.toISOString()).toBe('2025-03-10T12:00:00.000Z');
    // Sunday: Friday's.
    expect(s.latestAtOrBefore(new Date('2025-03-09T15:00:00Z'))?.toISOString()).toBe('2025-03-07T13:00:00.000Z');
    // Exactly at the slot counts.
    expect(s.latestAtOrBefore(new Date('2025-03-10T12:00:00Z'))?.toISOString()).toBe('2025-03-10T12:00:00.000Z');
  });
});
