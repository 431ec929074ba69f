import { describe, expect, it } from 'vitest';
import { extractNote } from '../../../intents/slots/index.js';

describe('extractNote', () => {
  it.each([
    ['add a note to Jane Doe: wants a quote by Friday', { name: 'Jane Doe', note: 'wants a quote by Friday' }],
    ['note for the Acme deal - they need the SOW signed first', { company: 'Acme', note: 'they need the SOW signed first' }],
    ['note on Jane that she prefers WhatsApp', { name: 'Jane', note: 'she prefers WhatsApp' }],
    ['add note to Acme Ltd: renewal in March', { company: 'Acme Ltd', note: 'renewal in March' }],
    ['log a note for Priya Sharma called, wants a demo', { name: 'Priya Sharma', note: 'called, wants a demo' }],
    ["add to Jane's record: moved to Berlin", { name: 'Jane', note: 'moved to Berlin' }],
    ['note for jane doe: likes tea', { name: 'Jane Doe', note: 'likes tea' }],
    ['add a note to Jane Doe saying she called', { name: 'Jane Doe', note: 'she called' }],
    ['note: Jane Doe called about pricing', { name: 'Jane Doe', note: 'Jane Doe called about pricing' }],
    ['note Acme Ltd - asked for a discount', { company: 'Acme Ltd', note: 'asked for a discount' }],
    ['note: call back Monday', { note: 'call back Monday' }],
  ])('%s', (text, expected) => {
    expect(extractNote(text)).toEqual(expected);
  });

  it('leaves an e-mail target to the e-mail slot', () => {
    expect(extractNote('add a note to jane@acme.com: bounced')).toEqual({ note: 'bounced' });
  });

  it('returns nothing for empty text', () => {
    expect(extractNote('')).toEqual({});
  });
});
