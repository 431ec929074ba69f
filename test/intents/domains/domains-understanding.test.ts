import { beforeAll, describe, expect, it } from 'vitest';
import { DomainSchema, RecordNameSchema, RecordValueSchema } from '../../../intents/catalog/slot-schemas.js';
import { OfflineUnderstander } from '../../../intents/index.js';
import { describeFigures } from '../independent-sets/index.js';
import { DOMAIN_INTENTS, DOMAIN_SET, measureDomains } from './independent-set.js';

describe('domain and DNS understanding on the independent set (issue 11)', () => {
  let understander: OfflineUnderstander;
  beforeAll(() => {
    understander = OfflineUnderstander.train();
  });

  it('is a well-formed set of at least 150 utterances covering the six intents and their near misses', () => {
    expect(DOMAIN_SET.length).toBeGreaterThanOrEqual(150);
    for (const intent of DOMAIN_INTENTS) expect(DOMAIN_SET.filter((i) => i.intent === intent).length, intent).toBeGreaterThanOrEqual(20);
    expect(DOMAIN_SET.filter((i) => !DOMAIN_INTENTS.includes(i.intent)).length).toBeGreaterThanOrEqual(15);
    expect(new Set(DOMAIN_SET.map((i) => i.text)).size).toBe(DOMAIN_SET.length);
    for (const { text, slots } of DOMAIN_SET) {
      if (slots.domain !== undefined) expect(DomainSchema.safeParse(slots.domain).success, text).toBe(true);
      if (slots.recordName !== undefined) expect(RecordNameSchema.safeParse(slots.recordName).success, text).toBe(true);
      if (slots.recordValue !== undefined) expect(RecordValueSchema.safeParse(slots.recordValue).success, text).toBe(true);
    }
  });

  it('meets 97% intent accuracy and 97% for the domain, each part of the record and the years', async () => {
    const figures = await measureDomains(understander);
    // The misses are printed so a failing floor says which utterances to look at.
    for (const line of describeFigures('domains independent set', figures)) console.log(line);
    expect(figures.intentAccuracy).toBeGreaterThanOrEqual(0.97);
    for (const [slot, tally] of Object.entries(figures.slots)) expect(tally.accuracy, slot).toBeGreaterThanOrEqual(0.97);
    // Enough mentions of each slot that 97% means something.
    expect(figures.slots.domain.total).toBeGreaterThanOrEqual(140);
    expect(figures.slots.recordType.total).toBeGreaterThanOrEqual(60);
    expect(figures.slots.recordName.total).toBeGreaterThanOrEqual(60);
    expect(figures.slots.recordValue.total).toBeGreaterThanOrEqual(40);
    expect(figures.slots.years.total).toBeGreaterThanOrEqual(12);
  });

  it('reads a slot said nowhere as wrong, so the figures cannot be met by guessing', async () => {
    const guesser = {
      understand: async () => ({
        intent: 'domain.dns.add' as const,
        confidence: 1,
        slots: { domain: 'harbourfield.co.uk', recordType: 'A' as const, recordName: '@', recordValue: '203.0.113.24', years: 1 },
        source: 'offline' as const,
        alternatives: [],
      }),
    };
    const figures = await measureDomains(guesser);
    expect(figures.intentAccuracy).toBeLessThan(0.5);
    for (const [slot, tally] of Object.entries(figures.slots)) expect(tally.accuracy, slot).toBeLessThan(0.5);
  });
});
