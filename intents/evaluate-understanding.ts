import { getDomain } from 'tldts';
import { z } from 'zod';
import { intentDefinition } from './catalog/index.js';
import { ENVIRONMENTS, INTENT_IDS, type IntentId } from './ids.js';
import type { Understander, UnderstandContext } from './understander.js';

/** One annotated utterance of an evaluation set (see test/intents/fixtures/README.md). */
export const LabelledUtteranceSchema = z.object({
  text: z.string(),
  intent: z.enum(INTENT_IDS),
  env: z.enum(ENVIRONMENTS).optional(),
  domain: z.string().optional(),
});
export type LabelledUtterance = z.infer<typeof LabelledUtteranceSchema>;

export interface SlotScore {
  /** Utterances where the annotation or the understanding has the slot. */
  total: number;
  correct: number;
  accuracy: number;
}

export interface UnderstandingEvaluation {
  utterances: number;
  intentAccuracy: number;
  /** Over utterances whose intent takes an `env` slot (deploys, domain mapping). */
  env: SlotScore;
  /** Over utterances whose intent takes a `domain` slot (the domain intents). */
  domain: SlotScore;
  /** Over every utterance that names an environment or a domain, whatever its intent (a stricter reading). */
  envMentions: SlotScore;
  domainMentions: SlotScore;
  /** Misunderstood utterances, for reading. */
  errors: { text: string; expected: IntentId; got: IntentId; confidence: number }[];
  msPerUtterance: number;
}

/** Intents whose domain slot is the registrable domain ("www.acme.co.uk" → "acme.co.uk"). */
const REGISTRABLE = new Set<IntentId>(['domain.check', 'domain.register', 'domain.dns.add', 'domain.dns.delete']);

function sameDomain(expected: string | undefined, got: string | undefined, intent: IntentId): boolean {
  if (expected === got) return true;
  if (!expected || !got) return false;
  return REGISTRABLE.has(intent) && getDomain(expected) === got;
}

const takes = (intent: IntentId, slot: 'env' | 'domain') => slot in intentDefinition(intent).slots.shape;

/**
 * Scores an understander on annotated utterances: intent accuracy, and `env` and `domain` right.
 * A slot is scored on an utterance when the annotation or the understanding has it (pairs where
 * neither has it are not counted, so they cannot inflate the figure); `env` and `domain` count
 * utterances whose expected intent takes that slot, `envMentions` and `domainMentions` all of them.
 */
export async function evaluateUnderstanding(
  understander: Understander,
  utterances: readonly LabelledUtterance[],
  context: UnderstandContext,
): Promise<UnderstandingEvaluation> {
  let intentsRight = 0;
  const env = { total: 0, correct: 0 };
  const domain = { total: 0, correct: 0 };
  const envMentions = { total: 0, correct: 0 };
  const domainMentions = { total: 0, correct: 0 };
  const score = (tally: { total: number; correct: number }, right: boolean) => {
    tally.total++;
    if (right) tally.correct++;
  };
  const errors: UnderstandingEvaluation['errors'] = [];
  const started = performance.now();
  for (const utterance of utterances) {
    const understood = await understander.understand(utterance.text, context);
    if (understood.intent === utterance.intent) intentsRight++;
    else errors.push({ text: utterance.text, expected: utterance.intent, got: understood.intent, confidence: understood.confidence });
    if (utterance.env || understood.slots.env) {
      const right = utterance.env === understood.slots.env;
      score(envMentions, right);
      if (takes(utterance.intent, 'env')) score(env, right);
    }
    if (utterance.domain || understood.slots.domain) {
      const right = sameDomain(utterance.domain, understood.slots.domain, understood.intent);
      score(domainMentions, right);
      if (takes(utterance.intent, 'domain')) score(domain, right);
    }
  }
  const elapsed = performance.now() - started;
  const ratio = (s: { total: number; correct: number }): SlotScore => ({ ...s, accuracy: s.total ? s.correct / s.total : 1 });
  return {
    utterances: utterances.length,
    intentAccuracy: intentsRight / utterances.length,
    env: ratio(env),
    domain: ratio(domain),
    envMentions: ratio(envMentions),
    domainMentions: ratio(domainMentions),
    errors,
    msPerUtterance: elapsed / utterances.length,
  };
}
