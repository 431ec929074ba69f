import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { appNames, INTENT_IDS, type AppNames, type IntentId, type Understander, type UnderstandContext } from '../../../intents/index.js';

/**
 * The build/deploy evaluation set (test/intents/fixtures/build-deploy-independent.md) and how it is
 * scored. Shared by its test, which pins the floors, and `npm run bench:nlu`, which reports it.
 */

/** The app catalog the set was annotated against: names and aliases, as an APPS_FILE would give them. */
export const EVALUATION_APPS: AppNames = appNames([
  { name: 'soarix-web', aliases: ['the marketing site'] },
  { name: 'api', aliases: ['the backend'] },
  { name: 'shop', aliases: ['the store'] },
  { name: 'admin-dashboard', aliases: ['the admin panel'] },
]);

export const BUILD_DEPLOY_INTENTS: readonly IntentId[] = ['build.start', 'build.status', 'deploy.create', 'deploy.rollback', 'deploy.status', 'cancel'];
export const SCORED_SLOTS = ['app', 'env', 'ref'] as const;
type ScoredSlot = (typeof SCORED_SLOTS)[number];

const ItemSchema = z.object({
  text: z.string().min(1),
  intent: z.enum(INTENT_IDS),
  slots: z.object({ app: z.string().optional(), env: z.string().optional(), ref: z.string().optional() }).strict(),
});
export type BuildDeployItem = z.infer<typeof ItemSchema>;

export function loadBuildDeploySet(): BuildDeployItem[] {
  const file = fileURLToPath(new URL('../fixtures/build-deploy-independent.jsonl', import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = ItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`build-deploy-independent.jsonl line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface SlotTally {
  total: number;
  correct: number;
  accuracy: number;
}

export interface BuildDeployFigures {
  utterances: number;
  intentAccuracy: number;
  /** Per slot, over utterances of the six build/deploy intents where the annotation or the understanding has it. */
  slots: Record<ScoredSlot, SlotTally>;
  intentErrors: { text: string; expected: IntentId; got: IntentId }[];
  slotErrors: { text: string; slot: ScoredSlot; expected: string | undefined; got: string | undefined }[];
}

/**
 * Intent accuracy over every line (near misses included), and per slot whether the value is
 * exactly the annotated one. As in evaluateUnderstanding, a slot counts on an utterance when the
 * annotation or the understanding has it, so absent-and-absent pairs cannot inflate the figure;
 * a slot read where none was said counts as wrong. The slots come from the understood intent, so
 * a wrong intent usually costs its slots too.
 */
export async function measureBuildDeploy(understander: Understander, items = loadBuildDeploySet()): Promise<BuildDeployFigures> {
  const context: UnderstandContext = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'Europe/London', apps: EVALUATION_APPS };
  let right = 0;
  const tallies = Object.fromEntries(SCORED_SLOTS.map((s) => [s, { total: 0, correct: 0 }])) as Record<ScoredSlot, { total: number; correct: number }>;
  const intentErrors: BuildDeployFigures['intentErrors'] = [];
  const slotErrors: BuildDeployFigures['slotErrors'] = [];
  for (const item of items) {
    const understood = await understander.understand(item.text, context);
    if (understood.intent === item.intent) right++;
    else intentErrors.push({ text: item.text, expected: item.intent, got: understood.intent });
    if (!BUILD_DEPLOY_INTENTS.includes(item.intent)) continue;
    for (const slot of SCORED_SLOTS) {
      const expected = item.slots[slot];
      const got = (understood.slots as Record<string, unknown>)[slot] as string | undefined;
      if (expected === undefined && got === undefined) continue;
      tallies[slot].total++;
      if (expected === got) tallies[slot].correct++;
      else slotErrors.push({ text: item.text, slot, expected, got });
    }
  }
  const ratio = (t: { total: number; correct: number }): SlotTally => ({ ...t, accuracy: t.total ? t.correct / t.total : 1 });
  return {
    utterances: items.length,
    intentAccuracy: right / items.length,
    slots: { app: ratio(tallies.app), env: ratio(tallies.env), ref: ratio(tallies.ref) },
    intentErrors,
    slotErrors,
  };
}
