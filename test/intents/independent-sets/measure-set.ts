import type { IntentId, SlotName, Slots, Understander, UnderstandContext } from '../../../intents/index.js';

/**
 * How the domain and CRM evaluation sets (issues 11 and 12) are scored. Shared by their tests, which
 * pin the floors, and `npm run bench:nlu`, which reports the figures.
 */

/** One annotated utterance: the intent a careful reader would choose and the slots the text names. */
export interface SetItem {
  text: string;
  intent: IntentId;
  slots: Slots;
}

/** Builds an item; the sets read as one line per utterance. */
export function item(text: string, intent: IntentId, slots: Slots = {}): SetItem {
  return { text, intent, slots };
}

export interface SlotTally {
  total: number;
  correct: number;
  accuracy: number;
}

export interface SetFigures<S extends SlotName> {
  utterances: number;
  intentAccuracy: number;
  slots: Record<S, SlotTally>;
  intentErrors: { text: string; expected: IntentId; got: IntentId }[];
  slotErrors: { text: string; slot: S; expected: unknown; got: unknown }[];
  msPerUtterance: number;
}

export interface MeasureOptions<S extends SlotName> {
  /** The intents whose slots are scored; the set's near misses only count for the intent. */
  intents: readonly IntentId[];
  slots: readonly S[];
  context: UnderstandContext;
  /** Whether two values of a slot are the same (default: strictly equal). */
  same?: (slot: S, expected: unknown, got: unknown) => boolean;
}

/**
 * Intent accuracy over every item (near misses included), and per slot whether the value is the
 * annotated one. As in evaluateUnderstanding, a slot counts on an item when the annotation or the
 * understanding has it, so absent-and-absent pairs cannot inflate the figure, and a slot read where
 * none was said counts as wrong. Slots come from the understood intent, so a wrong intent usually
 * costs its slots too.
 */
export async function measureSet<S extends SlotName>(
  understander: Understander,
  items: readonly SetItem[],
  options: MeasureOptions<S>,
): Promise<SetFigures<S>> {
  const same = options.same ?? ((_slot: S, expected: unknown, got: unknown) => expected === got);
  const tallies = Object.fromEntries(options.slots.map((s) => [s, { total: 0, correct: 0 }])) as Record<S, { total: number; correct: number }>;
  const intentErrors: SetFigures<S>['intentErrors'] = [];
  const slotErrors: SetFigures<S>['slotErrors'] = [];
  let right = 0;
  const started = performance.now();
  for (const entry of items) {
    const understood = await understander.understand(entry.text, options.context);
    if (understood.intent === entry.intent) right++;
    else intentErrors.push({ text: entry.text, expected: entry.intent, got: understood.intent });
    if (!options.intents.includes(entry.intent)) continue;
    for (const slot of options.slots) {
      const expected = entry.slots[slot];
      const got = understood.slots[slot];
      if (expected === undefined && got === undefined) continue;
      tallies[slot].total++;
      if (expected !== undefined && got !== undefined && same(slot, expected, got)) tallies[slot].correct++;
      else slotErrors.push({ text: entry.text, slot, expected, got });
    }
  }
  const elapsed = performance.now() - started;
  const ratio = (t: { total: number; correct: number }): SlotTally => ({ ...t, accuracy: t.total ? t.correct / t.total : 1 });
  return {
    utterances: items.length,
    intentAccuracy: right / items.length,
    slots: Object.fromEntries(options.slots.map((s) => [s, ratio(tallies[s])])) as Record<S, SlotTally>,
    intentErrors,
    slotErrors,
    msPerUtterance: elapsed / items.length,
  };
}

/** One line of figures and the misses, for a test's output and the benchmark. */
export function describeFigures<S extends SlotName>(title: string, figures: SetFigures<S>): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const slots = (Object.entries(figures.slots) as [S, SlotTally][]).map(([slot, t]) => `${slot} ${pct(t.accuracy)} of ${t.total}`);
  return [
    `[nlu] ${title}: intent ${pct(figures.intentAccuracy)} of ${figures.utterances}, ${slots.join(', ')}`,
    ...figures.intentErrors.map((e) => `[nlu]   intent ${e.expected} → ${e.got}: ${e.text}`),
    ...figures.slotErrors.map((e) => `[nlu]   ${e.slot} ${JSON.stringify(e.expected) ?? '∅'} → ${JSON.stringify(e.got) ?? '∅'}: ${e.text}`),
  ];
}
