import { describe, expect, it } from 'vitest';
import { extractTaskReference, extractTaskTitle, splitTaskRequests, tidyTaskTitle } from '../../../intents/slots/index.js';

const CTX = { now: Date.parse('2026-10-24T22:30:00Z'), timezone: 'Europe/London' };

describe('extractTaskTitle', () => {
  it.each([
    ['remind me to call John tomorrow at five', 'call John'],
    ['ask Priya to send Acme the proposal by Friday', 'send Acme the proposal'],
    ['add a task to renew the SSL cert next week', 'renew the SSL cert'],
    ['Hey, can you remind me to email Jane on Monday please', 'email Jane'],
    ['add a task for Priya: review the PR by tomorrow', 'review the PR'],
    ['task: update invoices', 'update invoices'],
    ['I need to book flights by end of the week', 'book flights'],
    ['new task - fix the product page', 'fix the product page'],
    ['call John tomorrow and assign it to Sam', 'call John'],
    ["don't forget to water the plants tonight", 'water the plants'],
    ['Priya should send the invoice on 3 November', 'send the invoice'],
    ['remind me about the Acme renewal', 'the Acme renewal'],
  ])('%s → %s', (text, expected) => {
    expect(extractTaskTitle(text, CTX)).toBe(expected);
  });

  it('returns nothing when only the request is left', () => {
    expect(extractTaskTitle('remind me tomorrow', CTX)).toBeUndefined();
    expect(extractTaskTitle('add a task', CTX)).toBeUndefined();
    expect(extractTaskTitle('', CTX)).toBeUndefined();
  });
});

describe('extractTaskReference', () => {
  it.each([
    ['mark call John as done', 'call John'],
    ['done with the invoice task', 'invoice'],
    ['delete the task "send Acme the proposal"', 'send Acme the proposal'],
    ['remove the water plants reminder', 'water plants'],
    ['I finished the Acme proposal', 'Acme proposal'],
    ['tick off book flights', 'book flights'],
    ['cancel task 3', '3'],
    ['I called John, mark it done', 'I called John'],
    // Whose task stays in the reference: tools/resolve reads "my" and "bob's".
    ['delete my latest task', 'my latest'],
    ["delete bob's task about calling acme", "bob's task about calling acme"],
  ])('%s → %s', (text, expected) => {
    expect(extractTaskReference(text)).toBe(expected);
  });

  it.each(['mark it as done', 'delete that one', 'done', ''])('names no task in %j', (text) => {
    expect(extractTaskReference(text)).toBeUndefined();
  });
});

describe('splitTaskRequests', () => {
  it('splits a voice note that asks for two dated tasks', () => {
    expect(splitTaskRequests('remind me to call John tomorrow at five and send Acme the proposal by Friday', CTX)).toEqual([
      'remind me to call John tomorrow at five',
      'send Acme the proposal by Friday',
    ]);
  });

  it('splits three', () => {
    expect(splitTaskRequests('call John tomorrow; email Jane on Monday and also book flights next week', CTX)).toHaveLength(3);
  });

  it('keeps one task with one date whole', () => {
    expect(splitTaskRequests('call John and Jane tomorrow', CTX)).toEqual(['call John and Jane tomorrow']);
  });
});

describe('extractTaskTitle: speech', () => {
  it.each([
    ['okay so um remind me to call John tomorrow at five', 'call John'],
    ['remind me to, um, call the uh bank tomorrow', 'call the bank'],
    ['make sure I send the invoice on Friday', 'send the invoice'],
    ["I'll call John tomorrow", 'call John'],
    ["let's book the venue next week", 'book the venue'],
    ['please remember to water the plants', 'water the plants'],
    ['well, you know, buy milk and eggs', 'buy milk and eggs'],
    ['call the plumber tomorrow and then', 'call the plumber'],
    ['I should really call mum', 'call mum'],
    ['well-being survey by Friday', 'well-being survey'],
  ])('%s → %s', (text, expected) => {
    expect(extractTaskTitle(text, CTX)).toBe(expected);
  });
});

describe('tidyTaskTitle', () => {
  it('cuts the spans it is given and the request words around them', () => {
    const text = 'okay so um remind me to call John tomorrow at five';
    expect(tidyTaskTitle(text, [{ start: 34, end: 50 }])).toBe('call John');
    expect(tidyTaskTitle(text, [])).toBe('call John tomorrow at five');
  });

  it('keeps what the caller does not cut ("ask Bob to")', () => {
    expect(tidyTaskTitle('ask Bob to review the PR', [])).toBe('ask Bob to review the PR');
  });

  it('returns nothing when only the request is left', () => {
    expect(tidyTaskTitle('um remind me', [])).toBeUndefined();
    expect(tidyTaskTitle('remind me tomorrow', [{ start: 10, end: 18 }])).toBeUndefined();
  });
});
