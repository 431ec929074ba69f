/**
 * Wall-clock arithmetic in IANA time zones, on top of `Intl.DateTimeFormat` (the only zone
 * database Node ships). chrono-node accepts a fixed UTC offset for its reference, not an IANA
 * zone, so the due-date extractor reads the wall-clock fields chrono resolves and turns them into
 * an instant here, with the offset that applies on *that* date: "tomorrow 5pm" asked the evening
 * before a DST switch gets the post-switch offset.
 */

/** A local calendar date and time, with no zone attached. `month` is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12:false: some ICU versions print midnight as "24" with the latter.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone if the runtime knows it (canonical spelling), otherwise UTC. */
export function resolveTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return 'UTC';
  try {
    return formatterFor(timeZone).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The wall-clock time in `timeZone` at the instant `epochMs`. */
export function wallTimeAt(timeZone: string, epochMs: number): WallTime {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) fields[part.type] = part.value;
  const year = Number(fields.year);
  return {
    year: fields.era === 'BC' || fields.era === 'B' ? 1 - year : year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

/** The wall time read as if it were UTC: a plain number to compare and subtract. */
export function wallTimeAsUtc(wall: WallTime): number {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** Offset of `timeZone` from UTC at the instant `epochMs`, in minutes (east positive). */
export function offsetMinutesAt(timeZone: string, epochMs: number): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Math.round((wallTimeAsUtc(wallTimeAt(timeZone, wholeSecond)) - wholeSecond) / MINUTE_MS);
}

/**
 * The instant at which `timeZone`'s clocks show `wall`. Wall times that happen twice (the hour
 * repeated when clocks go back) resolve to the first occurrence; wall times that never happen (the
 * hour skipped when clocks go forward) move forward by the length of the gap, as calendar apps do.
 */
export function wallTimeToInstant(timeZone: string, wall: WallTime): number {
  const asUtc = wallTimeAsUtc(wall);
  // Real zones change offset at most once in a day, so the offsets half a day either side are
  // the only candidates.
  const before = offsetMinutesAt(timeZone, asUtc - 12 * HOUR_MS);
  const after = offsetMinutesAt(timeZone, asUtc + 12 * HOUR_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => asUtc - offset * MINUTE_MS)
    .filter((instant) => wallTimeAsUtc(wallTimeAt(timeZone, instant)) === asUtc);
  if (valid.length > 0) return Math.min(...valid);
  return asUtc - before * MINUTE_MS;
}

/** Calendar arithmetic on the date part only (time of day kept). */
export function addDays(wall: WallTime, days: number): WallTime {
  const date = new Date(wallTimeAsUtc(wall));
  date.setUTCDate(date.getUTCDate() + days);
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, as `Date#getDay`. */
export function weekdayOf(wall: WallTime): number {
  return new Date(wallTimeAsUtc(wall)).getUTCDay();
}

export function sameDate(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

export function lastDayOfMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * ISO 8601 with the zone's offset at that instant, e.g. "2026-10-25T17:00:00+00:00" for
 * Europe/London the day after clocks went back.
 */
export function formatInstantInZone(timeZone: string, epochMs: number): string {
  const wall = wallTimeAt(timeZone, epochMs);
  const offset = offsetMinutesAt(timeZone, epochMs);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const year =
    wall.year >= 0 && wall.year <= 9999 ? pad(wall.year, 4) : (wall.year < 0 ? '-' : '+') + pad(Math.abs(wall.year), 6);
  return (
    `${year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
