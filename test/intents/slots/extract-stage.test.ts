import { describe, expect, it } from 'vitest';
import { extractStage } from '../../../intents/slots/index.js';

describe('extractStage', () => {
  it.each([
    ['move Acme to proposal', 'proposal'],
    ['we sent the quote to Acme', 'proposal'],
    ['mark the Acme deal as won', 'won'],
    ['they signed!', 'won'],
    ['closed won', 'won'],
    ['closed lost', 'lost'],
    ['Acme declined', 'lost'],
    ['Acme is in negotiation', 'negotiation'],
    ['contract sent to Globex', 'negotiation'],
    ['move from proposal to negotiation', 'negotiation'],
    ['update the new deal to qualified', 'qualified'],
    ['set stage to lead', 'lead'],
  ])('%s → %s', (text, expected) => {
    expect(extractStage(text)).toBe(expected);
  });

  it.each(['update Acme', 'hello', ''])('finds no stage in %j', (text) => {
    expect(extractStage(text)).toBeUndefined();
  });
});
