import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTENT_IDS, type IntentId } from '../../../intents/ids.js';
import type { UnderstandContext } from '../../../intents/understander.js';
import {
  extractAmount,
  extractDnsRecord,
  extractDomain,
  extractDue,
  extractEmail,
  extractEnv,
  extractEvents,
  extractNote,
  extractPhone,
  extractQuery,
  extractRef,
  extractSlots,
  extractStage,
  extractTaskReference,
  extractTaskTitle,
  extractYears,
  matchApp,
  splitTaskRequests,
  findTaskClauses,
  tidyTaskTitle,
  readClauseStart,
} from '../../../intents/slots/index.js';

const CONTEXT: UnderstandContext = {
  now: Date.parse('2026-10-24T22:30:00Z'),
  timezone: 'Europe/London',
  apps: ['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop'],
};

/** Every public extractor, as one function of the text. */
const EXTRACTORS: Array<[string, (text: string) => unknown]> = [
  ['extractDue', (t) => extractDue(t, CONTEXT)],
  ['extractDomain', (t) => extractDomain(t, { intent: 'domain.check' })],
  ['extractEmail', (t) => extractEmail(t)],
  ['extractPhone', (t) => extractPhone(t, { defaultCountry: 'GB' })],
  ['extractEnv', (t) => extractEnv(t)],
  ['matchApp', (t) => matchApp(t, CONTEXT.apps)],
  ['extractDnsRecord', (t) => extractDnsRecord(t)],
  ['extractYears', (t) => extractYears(t)],
  ['extractAmount', (t) => extractAmount(t)],
  ['extractRef', (t) => extractRef(t)],
  ['extractStage', (t) => extractStage(t)],
  ['extractEvents', (t) => extractEvents(t)],
  ['extractTaskTitle', (t) => extractTaskTitle(t, CONTEXT)],
  ['extractTaskReference', (t) => extractTaskReference(t)],
  ['splitTaskRequests', (t) => splitTaskRequests(t, CONTEXT)],
  ['findTaskClauses', (t) => findTaskClauses(t, CONTEXT)],
  ['tidyTaskTitle', (t) => tidyTaskTitle(t, [{ start: 2, end: 9 }])],
  ['readClauseStart', (t) => readClauseStart(t, { sentenceStart: true })],
  ['extractNote', (t) => extractNote(t)],
  ['extractQuery', (t) => extractQuery(t, 'crm.contact.find')],
];

const NASTY_INPUTS: string[] = [
  '',
  ' ',
  '\u0000\u0001\u0002\u001b[31mprod\u001b[0m',
  '😀👨‍👩‍👧‍👦🏳️‍🌈'.repeat(50),
  '\uD800\uDC00\uD800 lone \uDFFF surrogates',
  'пример.рф 例子.中国 مثال.إختبار बुकर.भारत prod',
  '\u202Eesrever\u202C deploy to prod',
  'a.'.repeat(50_000),
  '1'.repeat(100_000),
  '@'.repeat(100_000),
  '"'.repeat(100_000),
  '+1 '.repeat(30_000),
  'Jane '.repeat(20_000),
  'remind me to call John tomorrow at five and deploy soarix-web to prod '.repeat(1_500),
  'x'.repeat(100_000),
  'a-'.repeat(50_000) + '.com',
  '_'.repeat(10_000) + '.acme.com',
  'v' + '1.'.repeat(20_000),
  '#'.repeat(10_000) + '42',
  '0'.repeat(40) + ' ' + 'f'.repeat(41),
];

/** Words that reach deep into every extractor when shuffled together. */
const FRAGMENTS = [
  'tomorrow', 'at', 'five', 'by', 'Friday', 'next', 'week', 'in', '2', 'hours', '+44', '7911', '123456', '00',
  'jane@acme.com', '@', '.', 'bücher.de', 'https://', 'www.acme.co.uk', 'prod', 'product', 'live', 'staging',
  'A', 'record', 'MX', '10', '"v=spf1', '~all"', '1.2.3.4', '::1', 'branch', 'feature/', 'a1b2c3d', '#42',
  'v1.2.3', '$1,200', '5k', 'years', 'Jane', 'Doe', 'from', 'Acme', 'Ltd', 'ask', 'Priya', 'to', 'note:',
  'remind me to', 'and', ',', ':', '-', 'won', 'builds', 'fail', '😀', '\u0000', '\u200B', 'пример.рф',
];

describe('extractors never throw', () => {
  it.each(NASTY_INPUTS.map((input, i) => [i, input] as const))('nasty input #%i, every extractor and intent', (_, input) => {
    for (const [, extract] of EXTRACTORS) expect(() => extract(input)).not.toThrow();
    for (const intent of INTENT_IDS) expect(() => extractSlots(input, intent, CONTEXT)).not.toThrow();
  });

  it('survives arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...INTENT_IDS), (text, intent: IntentId) => {
        for (const [, extract] of EXTRACTORS) extract(text);
        const slots = extractSlots(text, intent, CONTEXT);
        expect(typeof slots).toBe('object');
      }),
      { numRuns: 300 },
    );
  });

  it('survives shuffled fragments of real requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }),
        fc.constantFrom(...INTENT_IDS),
        (words, intent: IntentId) => {
          const text = words.join(' ');
          for (const [, extract] of EXTRACTORS) extract(text);
          const slots = extractSlots(text, intent, CONTEXT, { defaultCountry: 'GB' });
          // Whatever is returned keeps the Slots contract.
          if (slots.due !== undefined) expect(Number.isNaN(Date.parse(slots.due))).toBe(false);
          if (slots.phone !== undefined) expect(slots.phone).toMatch(/^\+\d{7,15}$/);
          if (slots.domain !== undefined) expect(slots.domain).toMatch(/^[a-z0-9_.*-]+$/);
          if (slots.env !== undefined) expect(['production', 'staging', 'preview']).toContain(slots.env);
          if (slots.app !== undefined) expect(CONTEXT.apps).toContain(slots.app);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives a broken context', () => {
    const broken = { now: Number.NaN, timezone: 'Not/AZone', apps: [undefined, 42, ''] as unknown as string[] };
    for (const intent of INTENT_IDS) {
      expect(() => extractSlots('remind me to deploy soarix-web tomorrow', intent, broken)).not.toThrow();
    }
    // Without a clock no date can be resolved, so none is returned (and the phrase stays in the title).
    expect(extractSlots('remind me to call John tomorrow', 'task.create', broken)).toEqual({ title: 'call John tomorrow' });
  });

  it('bounds the work on 100 KB of text', () => {
    const huge = 'remind me to call John tomorrow at five and deploy soarix-web to prod '.repeat(1_500);
    extractSlots(huge, 'task.create', CONTEXT); // warm up chrono-node's parsers
    const started = performance.now();
    for (const intent of INTENT_IDS) extractSlots(huge, intent, CONTEXT);
    // Generous: about 40 ms on a laptop; the cap is what matters, not the exact figure.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
