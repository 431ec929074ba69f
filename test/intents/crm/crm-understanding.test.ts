import { beforeAll, describe, expect, it } from 'vitest';
import { EmailSchema, PhoneSchema } from '../../../intents/catalog/slot-schemas.js';
import { OfflineUnderstander } from '../../../intents/index.js';
import { describeFigures } from '../independent-sets/index.js';
import { CRM_INTENTS, CRM_SET, measureCrm } from './independent-set.js';

describe('CRM understanding on the independent set (issue 12)', () => {
  let understander: OfflineUnderstander;
  beforeAll(() => {
    understander = OfflineUnderstander.train();
  });

  it('is a well-formed set of at least 150 utterances covering the five intents and their near misses', () => {
    expect(CRM_SET.length).toBeGreaterThanOrEqual(150);
    for (const intent of CRM_INTENTS) expect(CRM_SET.filter((i) => i.intent === intent).length, intent).toBeGreaterThanOrEqual(20);
    expect(CRM_SET.filter((i) => !CRM_INTENTS.includes(i.intent)).length).toBeGreaterThanOrEqual(15);
    expect(new Set(CRM_SET.map((i) => i.text)).size).toBe(CRM_SET.length);
    for (const { text, slots } of CRM_SET) {
      if (slots.email !== undefined) expect(EmailSchema.safeParse(slots.email).success, text).toBe(true);
      if (slots.phone !== undefined) expect(PhoneSchema.safeParse(slots.phone).success, text).toBe(true);
    }
  });

  it('meets 97% intent accuracy and 95% for each of name, company, e-mail, phone and stage', async () => {
    const figures = await measureCrm(understander);
    // The misses are printed so a failing floor says which utterances to look at.
    for (const line of describeFigures('CRM independent set', figures)) console.log(line);
    expect(figures.intentAccuracy).toBeGreaterThanOrEqual(0.97);
    for (const [slot, tally] of Object.entries(figures.slots)) expect(tally.accuracy, slot).toBeGreaterThanOrEqual(0.95);
    // Enough mentions of each slot that 95% means something.
    expect(figures.slots.name.total).toBeGreaterThanOrEqual(100);
    expect(figures.slots.company.total).toBeGreaterThanOrEqual(80);
    expect(figures.slots.email.total).toBeGreaterThanOrEqual(20);
    expect(figures.slots.phone.total).toBeGreaterThanOrEqual(10);
    expect(figures.slots.stage.total).toBeGreaterThanOrEqual(25);
  });

  it('reads a slot said nowhere as wrong, so the figures cannot be met by guessing', async () => {
    const guesser = {
      understand: async () => ({
        intent: 'crm.lead.create' as const,
        confidence: 1,
        slots: { name: 'Sarah Connor', company: 'Cyberdyne', email: 'sarah@cyberdyne.com', phone: '+14155550100', stage: 'won' },
        source: 'offline' as const,
        alternatives: [],
      }),
    };
    const figures = await measureCrm(guesser);
    expect(figures.intentAccuracy).toBeLessThan(0.5);
    for (const [slot, tally] of Object.entries(figures.slots)) expect(tally.accuracy, slot).toBeLessThan(0.5);
  });
});
