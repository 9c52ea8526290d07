import { validateDetailed } from 'node-cron';

/**
 * What is wrong with a digest's cron expression, in words, or undefined when node-cron
 * accepts it. A day that no month listed has ("0 9 31 2 *") is named as such, since
 * "expected a cron expression" would send the admin looking at the syntax.
 */
export function cronProblem(expression: string): string | undefined {
  const checked = validateDetailed(expression);
  if (checked.valid) return undefined;
  const impossible = impossibleDay(expression);
  if (impossible) return impossible;
  const example = 'expected a cron expression such as "30 8 * * 1-5" (minute hour day month weekday)';
  const error = checked.errors[0];
  const field = error && FIELD_WORDS[error.field];
  return field && error.value !== undefined ? `${example}; "${error.value}" is not a ${field}` : example;
}

const FIELD_WORDS: Record<string, string> = {
  second: 'second (0–59)',
  minute: 'minute (0–59)',
  hour: 'hour (0–23)',
  dayOfMonth: 'day of the month (1–31 or L)',
  month: 'month (1–12 or jan–dec)',
  dayOfWeek: 'weekday (0–7 or sun–sat; 0 and 7 are Sunday)',
};

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
// The longest each month gets (February in a leap year).
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "never fires: February has no 31st …" when every day listed is past the end of every month listed. */
function impossibleDay(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return undefined;
  const dayAt = fields.length - 3;
  const monthAt = fields.length - 2;
  const withField = (at: number, value: string) => fields.map((f, i) => (i === at ? value : f)).join(' ');
  const days = validateDetailed(withField(monthAt, '*')).fields?.dayOfMonth;
  const months = validateDetailed(withField(dayAt, '*')).fields?.month;
  if (!days?.length || !months?.length || !days.every((d) => typeof d === 'number')) return undefined;
  const numbers = days as number[];
  if (!months.every((m) => numbers.every((d) => d > MONTH_DAYS[m - 1]!))) return undefined;
  const names = months.map((m) => MONTH_NAMES[m - 1]!);
  const monthList = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  const dayList = numbers.map(ordinal).join(' or ');
  return `never fires: ${monthList} ${names.length === 1 ? 'has' : 'have'} no ${dayList}; for the last day of the month write L ("${withField(dayAt, 'L')}")`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
