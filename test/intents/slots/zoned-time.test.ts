import { describe, expect, it } from 'vitest';
import { formatInstantInZone, offsetMinutesAt, resolveTimeZone, wallTimeToInstant } from '../../../intents/slots/index.js';

const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({ year, month, day, hour, minute, second: 0 });

describe('zoned time', () => {
  it('knows the offset on either side of a DST switch', () => {
    expect(offsetMinutesAt('Europe/London', Date.parse('2026-10-25T00:59:59Z'))).toBe(60);
    expect(offsetMinutesAt('Europe/London', Date.parse('2026-10-25T01:00:00Z'))).toBe(0);
    expect(offsetMinutesAt('America/Los_Angeles', Date.parse('2026-07-01T00:00:00Z'))).toBe(-420);
    expect(offsetMinutesAt('Asia/Kathmandu', Date.parse('2026-07-01T00:00:00Z'))).toBe(345);
  });

  it('turns a wall time into the instant, first occurrence of a repeated hour', () => {
    expect(wallTimeToInstant('Europe/London', wall(2026, 10, 25, 1, 30))).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(wallTimeToInstant('Europe/London', wall(2026, 10, 25, 2, 30))).toBe(Date.parse('2026-10-25T02:30:00Z'));
  });

  it('moves a wall time that does not exist forward by the gap', () => {
    // 01:30 on 29 March 2026 does not happen in London: clocks jump from 01:00 to 02:00.
    expect(wallTimeToInstant('Europe/London', wall(2026, 3, 29, 1, 30))).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(formatInstantInZone('Europe/London', Date.parse('2026-03-29T01:30:00Z'))).toBe('2026-03-29T02:30:00+01:00');
  });

  it('formats negative, half-hour and quarter-hour offsets', () => {
    const instant = Date.parse('2026-01-15T12:00:00Z');
    expect(formatInstantInZone('America/St_Johns', instant)).toBe('2026-01-15T08:30:00-03:30');
    expect(formatInstantInZone('Asia/Kathmandu', instant)).toBe('2026-01-15T17:45:00+05:45');
    expect(formatInstantInZone('UTC', instant)).toBe('2026-01-15T12:00:00+00:00');
  });

  it('falls back to UTC for unknown or malformed zones', () => {
    expect(resolveTimeZone('Europe/London')).toBe('Europe/London');
    expect(resolveTimeZone('Not/AZone')).toBe('UTC');
    expect(resolveTimeZone('')).toBe('UTC');
    expect(resolveTimeZone(undefined)).toBe('UTC');
  });
});
