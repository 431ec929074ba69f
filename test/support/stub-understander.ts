import type { IntentId, Slots, Understander, Understanding } from '../../intents/index.js';

/**
 * A scripted understander for tests of the dialog: each rule maps a pattern to an intent and slots.
 * It lets a test say exactly what "the model" understood, including hostile output.
 */
export class StubUnderstander implements Understander {
  calls: string[] = [];
  constructor(private readonly rules: [RegExp, IntentId, Record<string, unknown>?, number?][]) {}

  async understand(text: string): Promise<Understanding> {
    this.calls.push(text);
    for (const [pattern, intent, slots, confidence] of this.rules) {
      const match = pattern.exec(text);
      if (match) {
        const filled = Object.fromEntries(
          Object.entries(slots ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? '') : v]),
        );
        return { intent, confidence: confidence ?? 0.95, slots: filled as Slots, source: 'offline', alternatives: [] };
      }
    }
    return { intent: 'out_of_scope', confidence: 0.9, slots: {}, source: 'offline', alternatives: [] };
  }
}
