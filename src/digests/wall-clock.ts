/**
 * Wall-clock arithmetic in an IANA time zone with Intl only (no date library):
 * what local day an instant falls on, and which instant a local time names.
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface WallClock extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The local wall clock of an instant. */
export function wallClockOf(instant: Date | number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

export function localDate(instant: Date | number, timeZone: string): LocalDate {
  const { year, month, day } = wallClockOf(instant, timeZone);
  return { year, month, day };
}

/** Minutes east of UTC at an instant (Tokyo +540, New York -300 or -240). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * The instant a local time names. A time in a spring-forward gap moves forward
 * by the gap; a time that occurs twice resolves to its first occurrence (the
 * "compatible" rule of Temporal and of most schedulers).
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): number {
  return dayResolver(wall, timeZone)(wall.hour, wall.minute, wall.second);
}

/**
 * A fast wall-clock → instant function for one local day: the zone's offsets are
 * read once (with the transition instant found by bisection on a change day), so
 * a per-minute schedule costs no Intl call per slot.
 */
export function dayResolver(
  day: LocalDate,
  timeZone: string,
): (hour: number, minute: number, second: number) => number {
  const start = Date.UTC(day.year, day.month - 1, day.day);
  // A local day lies within a day either side of its UTC midnight; zones change at most once in that span.
  const lo = start - DAY_MS;
  const hi = start + 2 * DAY_MS;
  const before = offsetMinutes(lo, timeZone);
  const after = offsetMinutes(hi, timeZone);
  if (before === after) return (h, m, s) => Date.UTC(day.year, day.month - 1, day.day, h, m, s) - before * 60_000;
  const change = transitionInstant(lo, hi, before, timeZone);
  return (h, m, s) => {
    const guess = Date.UTC(day.year, day.month - 1, day.day, h, m, s);
    const early = guess - before * 60_000; // valid if it falls before the change
    const late = guess - after * 60_000; // valid if it falls after it
    if (early < change) return late >= change ? Math.min(early, late) : early;
    if (late >= change) return late;
    return early; // in the gap: read with the old offset, which lands after the change
  };
}

const DAY_MS = 86_400_000;

/** The first millisecond in (lo, hi] whose offset is no longer `before`. */
function transitionInstant(lo: number, hi: number, before: number, timeZone: string): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMinutes(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** "Mon 10 Mar 2025" in the schedule's zone, for digest titles. */
export function formatLocalDay(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant).replace(',', '');
}

// Building a formatter costs more than a digest's other work; a bot has few zones.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "08:30" in the schedule's zone. */
export function formatLocalTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    instant,
  );
}
