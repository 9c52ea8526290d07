import { createTask, parse, type ScheduledTask } from 'node-cron';
import { dayResolver, localDate, type LocalDate } from './wall-clock.js';

/** node-cron's nicknames, resolved the way it does, so we read the same day fields. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** How far to look for a slot: covers "29 Feb" schedules with room to spare. */
const MAX_DAYS = 366 * 9;

/**
 * The instants a cron expression names in a time zone, defined on the wall clock
 * so daylight-saving changes neither skip nor double a slot:
 * - a time that does not exist (spring forward, 02:30 in New York) moves forward
 *   by the gap (to 03:30), where node-cron 4.6 would skip the day;
 * - a time that occurs twice (fall back, 01:30) counts once, at its first
 *   occurrence, as node-cron does.
 * The scheduler compares these slots with the ledger's cursor, so a slot is
 * delivered once whichever timer (node-cron, the gap guard, a catch-up) sees it.
 */
export class CronSlots {
  private readonly seconds: number[];
  private readonly minutes: number[];
  private readonly hours: number[];
  /** Matches the expression's day fields (day of month, month, weekday, with L, W and #) at local noon. */
  private readonly dayMatcher: ScheduledTask;
  private readonly dayCache = new Map<string, number[]>();

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    const resolved = NICKNAMES[expression.trim().toLowerCase()] ?? expression;
    const fields = parse(resolved);
    const asc = (v: number[]) => [...new Set(v)].sort((a, b) => a - b);
    this.seconds = asc(fields.second);
    this.minutes = asc(fields.minute);
    this.hours = asc(fields.hour);
    const dayFields = resolved.trim().split(/\s+/).slice(-3).join(' ');
    this.dayMatcher = createTask(`0 0 12 ${dayFields}`, () => undefined, { timezone: timeZone });
  }

  /** The latest slot at or before `now`, or null when there is none within years. */
  latestAtOrBefore(now: Date): Date | null {
    let day = localDate(now, this.timeZone);
    for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, -1)) {
      const slots = this.slotsOn(day).filter((t) => t <= now.getTime());
      if (slots.length) return new Date(slots[slots.length - 1]!);
    }
    return null;
  }

  /** The first slot strictly after `now`. */
  nextAfter(now: Date): Date | null {
    let day = localDate(now, this.timeZone);
    for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
      const slot = this.slotsOn(day).find((t) => t > now.getTime());
      if (slot !== undefined) return new Date(slot);
    }
    return null;
  }

  /** Every slot in (from, to], oldest first: for tests and for counting what a downtime missed. */
  between(from: Date, to: Date): Date[] {
    const out: Date[] = [];
    for (let t = this.nextAfter(from); t && t <= to; t = this.nextAfter(t)) out.push(t);
    return out;
  }

  /** Frees the helper task node-cron keeps in its registry. */
  dispose(): void {
    void this.dayMatcher.destroy();
  }

  /** The slots of one local calendar day, as sorted unique epoch milliseconds. */
  private slotsOn(day: LocalDate): number[] {
    const key = `${day.year}-${day.month}-${day.day}`;
    const cached = this.dayCache.get(key);
    if (cached) return cached;
    const toInstant = dayResolver(day, this.timeZone);
    let slots: number[] = [];
    if (this.dayMatcher.match(new Date(toInstant(12, 0, 0)))) {
      const set = new Set<number>();
      for (const hour of this.hours)
        for (const minute of this.minutes) for (const second of this.seconds) set.add(toInstant(hour, minute, second));
      slots = [...set].sort((a, b) => a - b);
    }
    // Walks revisit the same few days; a small cache keeps per-minute schedules cheap.
    if (this.dayCache.size > 8) this.dayCache.clear();
    this.dayCache.set(key, slots);
    return slots;
  }
}

function addDays(day: LocalDate, n: number): LocalDate {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
