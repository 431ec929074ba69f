import { describe, expect, it } from 'vitest';
import { extractQuery } from '../../../intents/slots/index.js';

describe('extractQuery', () => {
  it.each([
    ['can you look up the contact details for Jane Doe?', 'Jane Doe'],
    ['find Jane Doe in the CRM', 'Jane Doe'],
    ['who is jane@acme.com', 'jane@acme.com'],
    ['do we have anyone from Acme?', 'Acme'],
    ['search contacts for Globex', 'Globex'],
    ["show me Jane's number", 'Jane'],
    ['Jane Doe', 'Jane Doe'],
  ])('crm.contact.find: %s → %s', (text, expected) => {
    expect(extractQuery(text, 'crm.contact.find')).toBe(expected);
  });

  it('keeps a knowledge question whole, without the greeting', () => {
    expect(extractQuery('Hey Switchboard, what is our refund policy?', 'knowledge.ask')).toBe('what is our refund policy?');
    expect(extractQuery('How long does a deploy take?', 'knowledge.ask')).toBe('How long does a deploy take?');
  });

  it('returns nothing for empty text', () => {
    expect(extractQuery('   ', 'knowledge.ask')).toBeUndefined();
  });
});
