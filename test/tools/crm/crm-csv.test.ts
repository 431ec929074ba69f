import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/index.js';
import { CrmRepo } from '../../../store/index.js';
import { amountIn, CrmService, exportCsv, importCsv, Pipeline } from '../../../tools/crm/index.js';
import { embeddedTestDatabase, type TestDatabase } from '../../support/services.js';

/** Fields that break naive CSV: commas, quotes, a line break, accents, a leading formula sign. */
const TRICKY = [
  { name: 'Zoë "Zee" O’Brien', company: 'Smith, Jones & Co', email: 'zoe@smithjones.co.uk', phone: '020 7946 0958', need: 'a shop,\nthen an app' },
  { name: 'José Müller', company: 'Société Générale', email: 'jose@sg.fr', phone: '+33 1 42 14 20 00', need: '=1+1 "quoted"' },
];

describe('CRM CSV export and import (PGlite)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const clock = new ManualClock(Date.parse('2026-03-03T10:00:00Z'));
  const open = (t: TestDatabase) => {
    const crm = new CrmRepo(t.db, clock);
    return { crm, service: new CrmService({ crm, pipeline: new Pipeline(), defaultCountry: 'GB' }) };
  };
  beforeAll(async () => {
    [source, target] = await Promise.all([embeddedTestDatabase(), embeddedTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it('exports RFC 4180 with a BOM and imports it back: created, then duplicates; a dry run changes nothing', async () => {
    const from = open(source);
    for (const lead of TRICKY) await from.service.createLead(lead);
    const csv = await exportCsv(from.crm, 'contacts');
    expect(csv.startsWith('\uFEFFnumber,name,company,email,phone,need,source,created_at\r\n')).toBe(true);
    expect(csv).toContain('"Zoë ""Zee"" O’Brien","Smith, Jones & Co"');
    expect(csv).toContain('"a shop,\nthen an app"');
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.name, r.company, r.phone, r.need])).toEqual([
      ['Zoë "Zee" O’Brien', 'Smith, Jones & Co', '+442079460958', 'a shop,\nthen an app'],
      ['José Müller', 'Société Générale', '+33142142000', '=1+1 "quoted"'],
    ]);

    const to = open(target);
    expect(await importCsv(to.service, csv, { dryRun: true })).toEqual({ created: 2, updated: 0, duplicates: [], invalid: [] });
    expect(await to.crm.listContacts()).toEqual([]);
    expect(await importCsv(to.service, csv, { dryRun: false })).toEqual({ created: 2, updated: 0, duplicates: [], invalid: [] });
    const imported = await to.crm.listContacts();
    expect(imported.map((c) => [c.name, c.companyName, c.email, c.phone, c.need])).toEqual(TRICKY.map((t, i) => [t.name, t.company, t.email, rows[i]!.phone, t.need]));
    expect((await exportCsv(to.crm, 'contacts')).replace(/,\d{4}-\d\d-\d\dT[^\r]+/g, '').replace(/,import|,staff/g, '')).toBe(csv.replace(/,\d{4}-\d\d-\d\dT[^\r]+/g, '').replace(/,import|,staff/g, ''));

    const again = await importCsv(to.service, csv, { dryRun: false });
    expect(again.created).toBe(0);
    expect(again.duplicates.map((d) => d.reason)).toEqual([expect.stringMatching(/^same e-mail as contact #1 Zoë/), expect.stringMatching(/^same e-mail as contact #2 José/)]);
  });

  it('reports what it would do with each row: updates, duplicates in the file, similar names, invalid rows', async () => {
    const to = open(target);
    const csv = [
      'Name,Company,Email,Phone,Need',
      'Zoe OBrien,"Smith, Jones & Co",,+44 20 7946 0958,',
      'Ada Lovelace,Analytical Engines,ada@engines.uk,,a website',
      'A. Lovelace,,ADA@engines.uk,,',
      'Jose Muller,Societe Generale,,,',
      ',Nameless Ltd,x@y.z,,',
      'Bad Mail,,not-an-email,,',
      'Bad Phone,,,12,',
      'Zoë O’Brien,,zoe@smithjones.co.uk,,also a blog',
    ].join('\n');
    const report = await importCsv(to.service, csv, { dryRun: true });
    expect(report).toEqual({
      created: 1,
      updated: 0,
      duplicates: [
        { line: 2, name: 'Zoe OBrien', reason: 'same phone as contact #1 Zoë "Zee" O’Brien' },
        { line: 4, name: 'A. Lovelace', reason: 'same e-mail as line 3 earlier in the file' },
        { line: 5, name: 'Jose Muller', reason: 'similar to contact #2 José Müller at Société Générale' },
        { line: 9, name: 'Zoë O’Brien', reason: 'same e-mail as contact #1 Zoë "Zee" O’Brien' },
      ],
      invalid: [
        { line: 6, reason: 'no name' },
        { line: 7, reason: 'the e-mail is not valid' },
        { line: 8, reason: '"12" is not a phone number' },
      ],
    });
  });

  it('names the line a row starts on, after quoted line breaks (CRLF or LF) and empty lines', async () => {
    const to = open(target);
    for (const br of ['\r\n', '\n']) {
      const csv = ['name,email', '"Multi', `Line",multi@x.io`, '', 'Sam Patel,sam@p.io', 'Sam P.,SAM@p.io'].join(br);
      expect((await importCsv(to.service, csv, { dryRun: true })).duplicates).toEqual([{ line: 6, name: 'Sam P.', reason: 'same e-mail as line 5 earlier in the file' }]);
    }
  });

  it('reads amounts the way people write them', () => {
    expect(amountIn('acme signed! 12k')).toEqual({ amount: 12_000, currency: null });
    expect(amountIn('won it for $12,500')).toEqual({ amount: 12_500, currency: 'USD' });
    expect(amountIn('€8.5k deal')).toEqual({ amount: 8_500, currency: 'EUR' });
    expect(amountIn('signed 1.2m gbp')).toEqual({ amount: 1_200_000, currency: 'GBP' });
    expect(amountIn('move deal 3 to won')).toBeNull();
  });

  it('reads stages of the configured pipeline', () => {
    const p = new Pipeline(['new', 'demo', 'trial', 'won', 'lost']);
    expect([p.first, p.won, p.lost]).toEqual(['new', 'won', 'lost']);
    expect(p.stageFor('trial')).toBe('trial');
    expect(p.stageFor('signed')).toBe('won');
    expect(p.stageFor('they went elsewhere')).toBe('lost');
    expect(new Pipeline().stageFor('proposal sent')).toBe('proposal');
    expect(p.stageFor('banana')).toBeUndefined();
    expect(() => new Pipeline(['a', 'a', 'b'])).toThrow(/three distinct stages/);
  });
});
