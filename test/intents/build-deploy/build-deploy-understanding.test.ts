import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../../intents/ids.js';
import { AppSchema, RefSchema } from '../../../intents/catalog/slot-schemas.js';
import { OfflineUnderstander } from '../../../intents/index.js';
import { BUILD_DEPLOY_INTENTS, EVALUATION_APPS, loadBuildDeploySet, measureBuildDeploy } from './independent-set.js';

const CONTEXT = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'Europe/London', apps: EVALUATION_APPS };

describe('build and deploy understanding on the independent set (issue 10)', () => {
  let understander: OfflineUnderstander;
  beforeAll(() => {
    understander = OfflineUnderstander.train();
  });

  it('is a well-formed set of at least 200 utterances covering the six intents and their near misses', () => {
    const items = loadBuildDeploySet();
    expect(items.length).toBeGreaterThanOrEqual(200);
    for (const intent of BUILD_DEPLOY_INTENTS) expect(items.filter((i) => i.intent === intent).length, intent).toBeGreaterThanOrEqual(20);
    expect(items.filter((i) => !BUILD_DEPLOY_INTENTS.includes(i.intent)).length).toBeGreaterThanOrEqual(15);
    expect(new Set(items.map((i) => i.text)).size).toBe(items.length);
    for (const { text, slots } of items) {
      if (slots.app !== undefined) {
        expect(AppSchema.safeParse(slots.app).success && EVALUATION_APPS.includes(slots.app), text).toBe(true);
      }
      if (slots.env !== undefined) expect(ENVIRONMENTS, text).toContain(slots.env);
      if (slots.ref !== undefined) expect(RefSchema.safeParse(slots.ref).success, text).toBe(true);
    }
  });

  it('meets 97% intent accuracy and 97% for each of app, env and ref', async () => {
    const figures = await measureBuildDeploy(understander);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `[nlu] build/deploy independent set: intent ${pct(figures.intentAccuracy)} of ${figures.utterances}, ` +
        `app ${pct(figures.slots.app.accuracy)} of ${figures.slots.app.total}, env ${pct(figures.slots.env.accuracy)} of ${figures.slots.env.total}, ` +
        `ref ${pct(figures.slots.ref.accuracy)} of ${figures.slots.ref.total}`,
    );
    // The misses are printed so a failing floor says which utterances to look at.
    for (const e of figures.intentErrors) console.log(`[nlu]   intent ${e.expected} → ${e.got}: ${e.text}`);
    for (const e of figures.slotErrors) console.log(`[nlu]   ${e.slot} ${e.expected ?? '∅'} → ${e.got ?? '∅'}: ${e.text}`);
    expect(figures.intentAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(figures.slots.app.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(figures.slots.env.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(figures.slots.ref.accuracy).toBeGreaterThanOrEqual(0.97);
    // Enough slot mentions that 97% means something.
    expect(figures.slots.app.total).toBeGreaterThanOrEqual(100);
    expect(figures.slots.env.total).toBeGreaterThanOrEqual(60);
    expect(figures.slots.ref.total).toBeGreaterThanOrEqual(30);
  });

  it('reads a slot said nowhere as wrong, so the figure cannot be met by guessing', async () => {
    const noisy = { understand: async () => ({ intent: 'deploy.create' as const, confidence: 1, slots: { app: 'api', env: 'production' as const, ref: 'main' }, source: 'offline' as const, alternatives: [] }) };
    const figures = await measureBuildDeploy(noisy);
    expect(figures.slots.app.accuracy).toBeLessThan(0.5);
    expect(figures.slots.ref.accuracy).toBeLessThan(0.5);
    expect(figures.intentAccuracy).toBeLessThan(0.5);
  });

  describe('cancel', () => {
    it('keeps a bare "cancel" a cancel without slots, for the pending dialog', async () => {
      for (const text of ['cancel', 'never mind', 'stop', 'forget it']) {
        const understood = await understander.understand(text, CONTEXT);
        expect(understood.intent, text).toBe('cancel');
        expect(understood.slots, text).toEqual({});
      }
    });

    it('reads which run "cancel the build" / "stop the deploy" mean, by app and environment', async () => {
      const cases: [string, Record<string, string>][] = [
        ['cancel the build', {}],
        ['stop the deploy', {}],
        ['please abort the shop build', { app: 'shop' }],
        ['stop deploying the marketing site', { app: 'soarix-web' }],
        ['kill the api deploy to production', { app: 'api', env: 'production' }],
        ['cancel the staging rollout of the admin panel', { app: 'admin-dashboard', env: 'staging' }],
      ];
      for (const [text, slots] of cases) {
        const understood = await understander.understand(text, CONTEXT);
        expect(understood.intent, text).toBe('cancel');
        expect(understood.slots, text).toEqual(slots);
      }
    });
  });
});
