import { describe, expect, it } from 'vitest';
import { extractContactParty, extractDealParty } from '../../../intents/slots/index.js';

describe('extractContactParty', () => {
  it.each([
    ['new lead: Jane Doe from Acme Ltd, jane@acme.com, +44 7911 123456', { name: 'Jane Doe', company: 'Acme Ltd' }],
    ["Hi, I'm Jane from Acme, my email is jane@acme.com", { name: 'Jane', company: 'Acme' }],
    ['my name is jane doe and I work at Globex', { name: 'Jane Doe', company: 'Globex' }],
    ['Add lead Pedro Álvarez (Soarix GmbH) +49 30 12345678', { name: 'Pedro Álvarez', company: 'Soarix GmbH' }],
    ['New Lead: Priya Sharma, Acme Digital', { name: 'Priya Sharma', company: 'Acme Digital' }],
    ['lead from Acme: John Smith', { name: 'John Smith', company: 'Acme' }],
    ['contact: Jean-Luc Picard of Starfleet Inc.', { name: 'Jean-Luc Picard', company: 'Starfleet Inc.' }],
    ["new lead John O'Neil at Smith & Sons Ltd.", { name: "John O'Neil", company: 'Smith & Sons Ltd.' }],
    ['lead: Maria da Silva from Globo', { name: 'Maria da Silva', company: 'Globo' }],
    ['delete Jane Doe from the CRM', { name: 'Jane Doe' }],
    [
      'Hi! My name is Carlos Mendes, I run Mendes Arquitetura. Reach me at carlos@mendes.com.br',
      { name: 'Carlos Mendes', company: 'Mendes Arquitetura' },
    ],
  ])('%s', (text, expected) => {
    expect(extractContactParty(text)).toEqual(expected);
  });

  it('does not take sentence starters or e-mail addresses for names', () => {
    expect(extractContactParty("I'm interested in a new website")).toEqual({});
    expect(extractContactParty('Jane.Doe@Acme.com')).toEqual({});
    expect(extractContactParty('hello')).toEqual({});
  });
});

describe('extractDealParty', () => {
  it.each([
    ['move the Acme deal to proposal', { company: 'Acme' }],
    ["mark Jane Doe's deal as won", { name: 'Jane Doe' }],
    ['update Acme Ltd to negotiation', { company: 'Acme Ltd' }],
    ['Globex declined', { company: 'Globex' }],
    ['move deal with Initech to Won', { company: 'Initech' }],
    ['mark it as won', {}],
  ])('%s', (text, expected) => {
    expect(extractDealParty(text)).toEqual(expected);
  });
});
