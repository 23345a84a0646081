const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Calendar-day difference between two instants as seen in `timeZone`. */
function dayDifference(from: Date, to: Date, timeZone: string | undefined): number {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const midnight = (date: Date) => Date.parse(`${day.format(date)}T00:00:00Z`);
  return Math.round((midnight(to) - midnight(from)) / DAY);
}

/**
 * A scheduled start in the viewer's zone: "Today, 18:30", "Tomorrow, 09:00", "Sat 28 Nov, 18:30".
 * `locale` and `timeZone` default to the browser's; tests pin them.
 */
export function formatStart(
  start: Date,
  now: Date,
  { locale, timeZone }: { locale?: string; timeZone?: string } = {},
): string {
  const time = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' });
  const days = dayDifference(now, start, timeZone);
  if (days === 0) return `Today, ${time.format(start)}`;
  if (days === 1) return `Tomorrow, ${time.format(start)}`;
  const date = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(start.getUTCFullYear() !== now.getUTCFullYear() ? { year: 'numeric' } : {}),
  });
  return `${date.format(start)}, ${time.format(start)}`;
}

/** "in 25 minutes", "in 3 hours", "in 2 days"; "any moment now" once the time has come. */
export function startsIn(start: Date, now: Date): string {
  const ms = start.getTime() - now.getTime();
  if (ms < MINUTE) return 'any moment now';
  const plural = (n: number, unit: string) => `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < HOUR) return plural(Math.round(ms / MINUTE), 'minute');
  if (ms < DAY) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.round(ms / DAY), 'day');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A `<input type="datetime-local">` value (the browser's zone) for an instant. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a `datetime-local` value means in the browser's zone; null when empty or invalid. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
