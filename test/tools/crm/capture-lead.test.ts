import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { CrmRepo } from '../../../store/index.js';
import { CrmService, Pipeline } from '../../../tools/crm/index.js';
import { embeddedTestDatabase, type TestDatabase } from '../../support/services.js';

describe('CrmService.captureLead (PGlite)', () => {
  let test: TestDatabase;
  let service: CrmService;
  let crm: CrmRepo;
  beforeAll(async () => {
    test = await embeddedTestDatabase();
    crm = new CrmRepo(test.db, new ManualClock());
    service = new CrmService({ crm, pipeline: new Pipeline(), defaultCountry: 'US' });
  });
  afterAll(() => test.close());

  it('a second conversation from the same WhatsApp number finds the same contact', async () => {
    const first = await service.captureLead({
      name: 'Lisa Wong',
      company: 'Pixelforge',
      need: 'a new website',
      identity: { channel: 'whatsapp', externalId: '14155550123' },
      createdBy: 'client',
    });
    expect(first.created).toBe(true);
    expect(first.contact.phone).toBe('+14155550123');
    expect(first.contact.companyName).toBe('Pixelforge');
    expect(first.deal?.stage).toBe('lead');
    const again = await service.captureLead({ name: 'Lisa', email: 'Lisa@Pixelforge.io', identity: { channel: 'whatsapp', externalId: '14155550123' } });
    expect(again.created).toBe(false);
    expect(again.contact.id).toBe(first.contact.id);
    expect(again.contact.email).toBe('lisa@pixelforge.io');
    expect(again.contact.name).toBe('Lisa Wong');
  });

  it('the same phone in another format, from another channel, is the same contact', async () => {
    const other = await service.captureLead({ name: 'L. Wong', phone: '(415) 555-0123', identity: { channel: 'telegram', externalId: '777' } });
    expect(other.created).toBe(false);
    expect((await crm.identitiesOf(other.contact.id)).map((i) => i.channel)).toEqual(['telegram', 'whatsapp']);
  });
});
