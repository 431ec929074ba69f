import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateUnderstanding,
  INTENT_CATALOG,
  LabelledUtteranceSchema,
  OfflineUnderstander,
  type IntentDefinition,
  type LabelledUtterance,
} from '../../intents/index.js';

const APPS = ['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop'];
const CONTEXT = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'Europe/London', apps: APPS };

/** Every fifth example of each intent, held out of training. */
function split(catalog: readonly IntentDefinition[]) {
  const train = catalog.map((d) => ({ ...d, examples: d.examples.filter((_, i) => i % 5 !== 2) }));
  const heldOut: LabelledUtterance[] = catalog.flatMap((d) => d.examples.filter((_, i) => i % 5 === 2).map((text) => ({ text, intent: d.id })));
  return { train, heldOut };
}

describe('the offline understander on our own catalog', () => {
  let understander: OfflineUnderstander;
  beforeAll(() => {
    understander = OfflineUnderstander.train();
    console.log(`[nlu] trained on ${INTENT_CATALOG.reduce((n, d) => n + d.examples.length, 0)} catalog examples in ${understander.trainMs.toFixed(0)} ms`);
  });

  it('scores above its floor on a held-out fifth of the catalog', async () => {
    const { train, heldOut } = split(INTENT_CATALOG);
    const partial = OfflineUnderstander.train({ catalog: train });
    const result = await evaluateUnderstanding(partial, heldOut, CONTEXT);
    console.log(`[nlu] held-out catalog split: ${(result.intentAccuracy * 100).toFixed(1)}% of ${result.utterances}`);
    // The held-out fifth is mostly the catalog's deliberate contrasts and oddities (measured 73.4%);
    // typical utterances are measured on the independent set below.
    expect(result.intentAccuracy).toBeGreaterThanOrEqual(0.7);
  });

  it('meets the targets on utterances written independently of the catalog', async () => {
    const file = path.join(import.meta.dirname, 'fixtures/independent-utterances.json');
    const utterances = LabelledUtteranceSchema.array().parse(JSON.parse(readFileSync(file, 'utf8')));
    const result = await evaluateUnderstanding(understander, utterances, CONTEXT);
    console.log(
      `[nlu] independent set: intent ${(result.intentAccuracy * 100).toFixed(1)}%, env ${(result.env.accuracy * 100).toFixed(1)}% of ${result.env.total}, domain ${(result.domain.accuracy * 100).toFixed(1)}% of ${result.domain.total}`,
    );
    expect(result.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.env.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.domain.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('understands the examples help shows', async () => {
    for (const definition of INTENT_CATALOG.filter((d) => d.id !== 'out_of_scope')) {
      const understood = await understander.understand(definition.helpExample, CONTEXT);
      expect(understood.intent, definition.helpExample).toBe(definition.id);
    }
  });

  it('returns slots normalised for the intent it chose', async () => {
    expect(await understander.understand('ship marketing site to prod', CONTEXT)).toMatchObject({
      intent: 'deploy.create',
      slots: { app: 'marketing-site', env: 'production' },
      source: 'offline',
    });
    const task = await understander.understand('remind me to call John tomorrow at five', CONTEXT);
    expect(task).toMatchObject({ intent: 'task.create', slots: { title: 'call John', due: '2026-11-22T17:00:00+00:00' } });
  });

  it('answers bad input with out_of_scope or help, never a crash', async () => {
    const inputs = ['', '   ', '🎉🔥💯', '\u0000\u0007\u001b[31m', 'x'.repeat(100_000), 'Ωμέγα 字母 буквы אותיות', '\ud800'];
    for (const text of inputs) {
      const understood = await understander.understand(text, CONTEXT);
      expect(['out_of_scope', 'help']).toContain(understood.intent);
      expect(understood.confidence).toBeGreaterThanOrEqual(0);
      expect(understood.confidence).toBeLessThanOrEqual(1);
    }
    // Text shaped like an attack is just text: understood as whatever it resembles, safely.
    await expect(understander.understand("DROP TABLE tasks; -- '; rm -rf /", CONTEXT)).resolves.toHaveProperty('intent');
  });
});
