import { describe, expect, it } from 'vitest';
import { findTaskClauses, MAX_TASK_CLAUSES, splitTaskRequests } from '../../../intents/slots/index.js';

// Wednesday 18 November 2026, 10:00 in London.
const CTX = { now: Date.parse('2026-11-18T10:00:00Z'), timezone: 'Europe/London' };
const split = (text: string) => splitTaskRequests(text, CTX);
const clauses = (text: string) => findTaskClauses(text, CTX).clauses;

describe('splitTaskRequests: where a message is cut', () => {
  it.each([
    ['call John and email Mary', ['call John', 'email Mary']],
    ['call John then email Mary', ['call John', 'email Mary']],
    ['call John and then email Mary', ['call John', 'email Mary']],
    ['call John, also email Mary', ['call John', 'email Mary']],
    ['call John plus book the flights', ['call John', 'book the flights']],
    ['call John, email Sam, and book flights', ['call John', 'email Sam', 'book flights']],
    ['call John and remind me to email Mary', ['call John', 'remind me to email Mary']],
    ['call John and ask Priya to review the PR', ['call John', 'ask Priya to review the PR']],
    ['call John and Maria needs to send the invoice', ['call John', 'Maria needs to send the invoice']],
    ['call John and I need to book flights', ['call John', 'I need to book flights']],
    ['remind me to call John and deploy the landing page to staging', ['remind me to call John', 'deploy the landing page to staging']],
    ['Call John. Email Mary! Book flights? Pay rent', ['Call John', 'Email Mary', 'Book flights', 'Pay rent']],
    ['call John\nemail Mary; book flights', ['call John', 'email Mary', 'book flights']],
  ])('%j → %j', (text, expected) => {
    expect(split(text)).toEqual(expected);
  });

  it.each([
    'send John and Mary the deck',
    'buy milk and eggs',
    'review and sign the contract',
    'call John and Mark tomorrow',
    'send John, Mary and Sam the deck',
    'call John and email',
    'okay, so, remind me to call John',
    'call Dr. Smith at 5 p.m. tomorrow',
  ])('keeps %j whole', (text) => {
    expect(split(text)).toHaveLength(1);
  });

  it('cuts after a date followed by a to-do verb, for speech without joints', () => {
    expect(split('call John tomorrow email Sam on Friday and book flights next week')).toEqual([
      'call John tomorrow',
      'email Sam on Friday',
      'book flights next week',
    ]);
  });

  it('cuts where both sides have a date of their own', () => {
    expect(split('call John tomorrow and Jane on Friday')).toEqual(['call John tomorrow', 'Jane on Friday']);
  });

  it('cuts past fillers and asides, and leaves no connective at the end of a clause', () => {
    expect(split('I need to um call the plumber tomorrow morning and then, you know, pick up the kids')).toEqual([
      'I need to um call the plumber tomorrow morning',
      'pick up the kids',
    ]);
  });

  it('keeps a date cut off by a full stop with its request', () => {
    expect(split('Call John. Tomorrow at five.')).toEqual(['Call John. Tomorrow at five']);
    expect(split('Tomorrow. Call John and email Sam.')).toEqual(['Tomorrow. Call John', 'email Sam']);
  });

  it('drops sentences that are only fillers', () => {
    expect(split('Okay. Um. Call John.')).toEqual(['Call John']);
  });
});

describe('findTaskClauses', () => {
  it('gives each clause its position, sentence, kind and dates', () => {
    const { text, clauses: found } = findTaskClauses('Okay so the meeting went well. Remind me to call John tomorrow at five and email Sam', CTX);
    expect(found.map((clause) => [clause.text, clause.sentence, clause.kind, clause.dates.map((date) => date.value)])).toEqual([
      ['Okay so the meeting went well', 0, 'none', []],
      ['Remind me to call John tomorrow at five', 1, 'reminder', ['2026-11-19T17:00:00+00:00']],
      ['email Sam', 1, 'task-verb', []],
    ]);
    const [, reminder] = found;
    expect(text.slice(reminder!.start, reminder!.end)).toBe('Remind me to call John tomorrow at five');
    const span = reminder!.dates[0]!.spans[0]!;
    expect(text.slice(span.start, span.end)).toBe('tomorrow at five');
  });

  it('reads dates within each clause: a time said in the next clause is not joined to the day before', () => {
    expect(clauses('call the plumber tomorrow morning and pick up the kids at three').map((clause) => clause.dates.map((d) => d.value))).toEqual([
      ['2026-11-19T09:00:00+00:00'],
      ['2026-11-18T15:00:00+00:00'],
    ]);
  });

  it('tells the kinds apart', () => {
    expect(clauses("what's due tomorrow? ask bob to check. deploy soarix-web. the client loved it").map((clause) => clause.kind)).toEqual([
      'request',
      'assignee',
      'request',
      'none',
    ]);
  });

  it('caps the clauses of a long message', () => {
    expect(clauses('call John and '.repeat(500)).length).toBeLessThanOrEqual(MAX_TASK_CLAUSES);
  });

  it('finds nothing in blank text', () => {
    expect(findTaskClauses('  \n ', CTX)).toEqual({ text: '  \n ', clauses: [] });
  });
});
