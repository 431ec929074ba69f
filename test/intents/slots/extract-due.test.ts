import { describe, expect, it } from 'vitest';
import { extractDue, findAllDue, findDue } from '../../../intents/slots/index.js';

// Saturday 24 October 2026, 22:30 UTC: 23:30 in London (BST, the night the clocks go back),
// 15:30 in Los Angeles, already Sunday 04:00 in Kolkata and Sunday 11:30 in Auckland.
const NOW = Date.parse('2026-10-24T22:30:00Z');
const due = (text: string, timezone: string, now = NOW) => extractDue(text, { now, timezone });

describe('extractDue: time zones and DST', () => {
  it('resolves "tomorrow at 5pm" in London after the clocks go back (GMT, +00:00)', () => {
    expect(due('tomorrow at 5pm', 'Europe/London')).toBe('2026-10-25T17:00:00+00:00');
  });

  it('keeps the exact instant for "in N hours" across the London switch', () => {
    // 00:30Z is still BST (01:30+01:00); 01:30Z is GMT (01:30+00:00): same wall clock, an hour apart.
    expect(due('in 2 hours', 'Europe/London')).toBe('2026-10-25T01:30:00+01:00');
    expect(due('in 3 hours', 'Europe/London')).toBe('2026-10-25T01:30:00+00:00');
    expect(Date.parse(due('in 3 hours', 'Europe/London')!) - NOW).toBe(3 * 3_600_000);
  });

  it('uses Los Angeles daylight time before, and standard time after, 1 November', () => {
    expect(due('tomorrow at 5pm', 'America/Los_Angeles')).toBe('2026-10-25T17:00:00-07:00');
    const saturday = Date.parse('2026-10-31T18:00:00Z'); // 11:00 PDT
    expect(due('tomorrow at 9am', 'America/Los_Angeles', saturday)).toBe('2026-11-01T09:00:00-08:00');
  });

  it('uses the half-hour offset of Asia/Kolkata and its own calendar date', () => {
    // It is already Sunday 25th in Kolkata while UTC still says the 24th.
    expect(due('today at 6pm', 'Asia/Kolkata')).toBe('2026-10-25T18:00:00+05:30');
    expect(due('tomorrow', 'Asia/Kolkata')).toBe('2026-10-26T09:00:00+05:30');
  });

  it('reads "today" and "tomorrow" in Auckland, a day ahead of UTC', () => {
    expect(due('today at 3pm', 'Pacific/Auckland')).toBe('2026-10-25T15:00:00+13:00');
    expect(due('tomorrow', 'Pacific/Auckland')).toBe('2026-10-26T09:00:00+13:00');
  });

  it('crosses midnight in Auckland', () => {
    const lateEvening = Date.parse('2026-10-24T10:30:00Z'); // Saturday 23:30 NZDT
    expect(due('tomorrow at 9', 'Pacific/Auckland', lateEvening)).toBe('2026-10-25T09:00:00+13:00');
    expect(due('in 1 hour', 'Pacific/Auckland', lateEvening)).toBe('2026-10-25T00:30:00+13:00');
  });

  it('applies the Auckland DST start (+12 → +13) to a date after the switch', () => {
    const evening = Date.parse('2026-09-26T10:00:00Z'); // Saturday 22:00 NZST
    expect(due('tomorrow at 9am', 'Pacific/Auckland', evening)).toBe('2026-09-27T09:00:00+13:00');
  });

  it('moves a wall time inside the spring-forward gap forward, and takes the first of a repeated hour', () => {
    const march = Date.parse('2027-03-20T12:00:00Z');
    expect(due('March 28 at 1:30am', 'Europe/London', march)).toBe('2027-03-28T02:30:00+01:00');
    const october = Date.parse('2026-10-20T12:00:00Z');
    expect(due('October 25 at 1:30am', 'Europe/London', october)).toBe('2026-10-25T01:30:00+01:00');
  });

  it('honours an explicit zone in the text', () => {
    expect(due('tomorrow at 5pm UTC', 'America/Los_Angeles')).toBe('2026-10-25T10:00:00-07:00');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(due('tomorrow', 'Mars/Olympus_Mons')).toBe('2026-10-25T09:00:00+00:00');
  });
});

describe('extractDue: defaults', () => {
  it('gives a date without a time 09:00', () => {
    expect(due('on 3 November', 'Europe/London')).toBe('2026-11-03T09:00:00+00:00');
    expect(due('in two weeks', 'Europe/London')).toBe('2026-11-07T09:00:00+00:00');
  });

  it('reads a bare small hour as the afternoon, unless written the 24-hour way', () => {
    expect(due('call John tomorrow at five', 'Europe/London')).toBe('2026-10-25T17:00:00+00:00');
    expect(due('tomorrow at 7', 'Europe/London')).toBe('2026-10-25T19:00:00+00:00');
    expect(due('tomorrow at 07:00', 'Europe/London')).toBe('2026-10-25T07:00:00+00:00');
    expect(due('tomorrow at 9', 'Europe/London')).toBe('2026-10-25T09:00:00+00:00');
  });

  it('does not read a count as a time ("at one of")', () => {
    expect(due('look at one of the invoices tomorrow', 'Europe/London')).toBe('2026-10-25T09:00:00+00:00');
  });

  it('understands spoken times', () => {
    expect(due('half past four tomorrow', 'Europe/London')).toBe('2026-10-25T16:30:00+00:00');
    expect(due('tomorrow at quarter to six', 'Europe/London')).toBe('2026-10-25T17:45:00+00:00');
    expect(due('tomorrow at ten thirty', 'Europe/London')).toBe('2026-10-25T10:30:00+00:00');
  });

  it('puts "tonight" at 20:00, or the end of today once 20:00 has passed', () => {
    const afternoon = Date.parse('2026-10-24T14:00:00Z');
    expect(due('tonight', 'Europe/London', afternoon)).toBe('2026-10-24T20:00:00+01:00');
    expect(due('tonight', 'Europe/London')).toBe('2026-10-24T23:59:00+01:00');
  });

  it('puts "next week" on Monday 09:00 and "next month" on the 1st', () => {
    expect(due('next week', 'Europe/London')).toBe('2026-10-26T09:00:00+00:00');
    expect(due('next month', 'Europe/London')).toBe('2026-11-01T09:00:00+00:00');
    const sunday = Date.parse('2026-11-01T12:00:00Z');
    expect(due('next week', 'Europe/London', sunday)).toBe('2026-11-02T09:00:00+00:00');
  });

  it('does not make "today" overdue on creation', () => {
    const afternoon = Date.parse('2026-10-30T15:00:00Z');
    expect(due('today', 'Europe/London', afternoon)).toBe('2026-10-30T23:59:00+00:00');
    const early = Date.parse('2026-10-30T07:00:00Z');
    expect(due('today', 'Europe/London', early)).toBe('2026-10-30T09:00:00+00:00');
  });

  it('understands end of day, week and month', () => {
    const morning = Date.parse('2026-10-28T09:00:00Z'); // Wednesday
    expect(due('by end of day', 'Europe/London', morning)).toBe('2026-10-28T17:00:00+00:00');
    expect(due('EOD', 'Europe/London', morning)).toBe('2026-10-28T17:00:00+00:00');
    expect(due('by the end of the week', 'Europe/London', morning)).toBe('2026-10-30T17:00:00+00:00');
    expect(due('end of month', 'Europe/London', morning)).toBe('2026-10-31T17:00:00+00:00');
  });

  it('gives a time of day without a date its next occurrence', () => {
    const morning = Date.parse('2026-10-28T09:00:00Z');
    expect(due('at 3pm', 'Europe/London', morning)).toBe('2026-10-28T15:00:00+00:00');
    expect(due('at 8am', 'Europe/London', morning)).toBe('2026-10-29T08:00:00+00:00');
  });

  it('joins a day and a time said apart', () => {
    expect(due('Friday, call Acme at 3pm', 'Europe/London')).toBe('2026-10-30T15:00:00+00:00');
  });
});

describe('extractDue: "by Friday" across week, month and year boundaries', () => {
  const london = (iso: string) => (text: string) => due(text, 'Europe/London', Date.parse(iso));

  it('is the coming Friday from a Thursday', () => {
    expect(london('2026-10-29T10:00:00Z')('send the proposal by Friday')).toBe('2026-10-30T09:00:00+00:00');
  });

  it('is today when said on a Friday morning, and the end of today later on', () => {
    expect(london('2026-10-30T08:00:00Z')('by Friday')).toBe('2026-10-30T09:00:00+00:00');
    expect(london('2026-10-30T15:00:00Z')('by Friday')).toBe('2026-10-30T23:59:00+00:00');
  });

  it('crosses into the next month from Saturday 31 October', () => {
    expect(london('2026-10-31T10:00:00Z')('by Friday')).toBe('2026-11-06T09:00:00+00:00');
  });

  it('crosses into the next year', () => {
    expect(london('2026-12-28T10:00:00Z')('by Friday')).toBe('2027-01-01T09:00:00+00:00');
  });

  it('reads "next Friday" on a Friday as a week later', () => {
    expect(london('2026-10-30T08:00:00Z')('next Friday')).toBe('2026-11-06T09:00:00+00:00');
  });
});

describe('extractDue: numeric dates follow the zone', () => {
  it('reads 10/11 month-first in New York and day-first in London', () => {
    expect(due('on 10/11', 'America/New_York')).toBe('2027-10-11T09:00:00-04:00');
    expect(due('on 10/11', 'Europe/London')).toBe('2026-11-10T09:00:00+00:00');
    expect(due('on 10.11.2026', 'Europe/Berlin')).toBe('2026-11-10T09:00:00+01:00');
  });

  it('reads ISO dates everywhere', () => {
    expect(due('due 2026-11-01', 'Asia/Kolkata')).toBe('2026-11-01T09:00:00+05:30');
  });
});

describe('extractDue: what is not a due date', () => {
  it.each([
    'renew for 2 years',
    'call +44 7911 123456',
    'deploy v1.2.3',
    'point it at 192.168.10.12',
    'build #42',
    'the deal is worth $1,200',
    'hello there',
    '',
  ])('%s', (text) => {
    expect(due(text, 'Europe/London')).toBeUndefined();
  });

  it('returns nothing without a usable clock', () => {
    expect(extractDue('tomorrow', { now: Number.NaN, timezone: 'Europe/London' })).toBeUndefined();
  });
});

describe('findDue spans', () => {
  it('covers the date phrase and its preposition, in the original text', () => {
    const text = 'remind me to call John tomorrow at five please';
    const match = findDue(text, { now: NOW, timezone: 'Europe/London' })!;
    expect(match.spans.map((span) => text.slice(span.start, span.end))).toEqual(['tomorrow at five']);
    const byFriday = 'send Acme the proposal by Friday';
    const friday = findDue(byFriday, { now: NOW, timezone: 'Europe/London' })!;
    expect(byFriday.slice(friday.spans[0]!.start, friday.spans[0]!.end)).toBe('by Friday');
  });

  it('finds every date phrase in order', () => {
    const all = findAllDue('call John tomorrow at five and send Acme the proposal by Friday', {
      now: NOW,
      timezone: 'Europe/London',
    });
    expect(all.map((d) => d.value)).toEqual(['2026-10-25T17:00:00+00:00', '2026-10-30T09:00:00+00:00']);
  });
});

describe('extractDue: a day of the month without its month', () => {
  const london = (iso: string) => (text: string) => due(text, 'Europe/London', Date.parse(iso));

  it('is this month while the day is still to come, and next month after it', () => {
    expect(london('2026-11-18T10:00:00Z')('pay the rent on the 20th')).toBe('2026-11-20T09:00:00+00:00');
    expect(london('2026-11-18T10:00:00Z')('pay the rent on the 2nd')).toBe('2026-12-02T09:00:00+00:00');
    expect(london('2026-01-30T10:00:00Z')('call the bank on the 2nd at 3pm')).toBe('2026-02-02T15:00:00+00:00');
  });

  it('crosses the year, and skips months that lack the day', () => {
    expect(london('2026-12-31T10:00:00Z')('by the 2nd')).toBe('2027-01-02T09:00:00+00:00');
    expect(london('2026-11-18T10:00:00Z')('by the 31st')).toBe('2026-12-31T09:00:00+00:00');
    expect(london('2026-02-10T10:00:00Z')('before the thirtieth')).toBe('2026-03-30T09:00:00+01:00'); // after the spring switch
  });

  it('is today (not overdue) when it is today', () => {
    expect(london('2026-01-30T12:00:00Z')('on the 30th')).toBe('2026-01-30T23:59:00+00:00');
  });

  it('reads spoken ordinals, and a month or weekday said with "the"', () => {
    expect(london('2026-01-30T10:00:00Z')('on the twenty first')).toBe('2026-02-21T09:00:00+00:00');
    expect(london('2026-01-31T10:00:00Z')('March the 2nd')).toBe('2026-03-02T09:00:00+00:00');
    expect(london('2026-01-31T10:00:00Z')('Friday the 20th')).toBe('2026-02-20T09:00:00+00:00');
    expect(london('2026-01-31T10:00:00Z')('on the 2nd of March')).toBe('2026-03-02T09:00:00+00:00');
  });

  it('leaves ordinals that are not dates alone', () => {
    expect(london('2026-01-31T10:00:00Z')('meet on the 2nd floor')).toBeUndefined();
    expect(london('2026-01-31T10:00:00Z')('the 2nd draft is better')).toBeUndefined();
    expect(london('2026-01-31T10:00:00Z')('got it right on the third try')).toBeUndefined();
  });

  it('spans the phrase with its preposition, so a title can leave it out', () => {
    const text = 'pay the rent on the 2nd please';
    const match = findDue(text, { now: Date.parse('2026-01-30T10:00:00Z'), timezone: 'Europe/London' })!;
    expect(text.slice(match.spans[0]!.start, match.spans[0]!.end)).toBe('on the 2nd');
  });
});
