import type { IntentId } from '../intents/index.js';
import type { ToolAction } from './tool-action.js';
import { UnknownActionError } from './tool-errors.js';

/** The tool actions the bot can run, by name and by the intent that starts them. */
export class ToolRegistry {
  private readonly byName = new Map<string, ToolAction>();
  private readonly byIntent = new Map<IntentId, ToolAction>();

  constructor(actions: readonly ToolAction<never>[] = []) {
    for (const action of actions) this.add(action);
  }

  add(action: ToolAction<never>): void {
    const erased = action as unknown as ToolAction;
    if (this.byName.has(erased.name)) throw new Error(`tool action ${erased.name} is registered twice`);
    this.byName.set(erased.name, erased);
    if (erased.intent) this.byIntent.set(erased.intent, erased);
  }

  get(name: string): ToolAction {
    const action = this.byName.get(name);
    if (!action) throw new UnknownActionError(name);
    return action;
  }

  /** Every registered action's name (what clients must never see: bot/client). */
  names(): string[] {
    return [...this.byName.keys()];
  }

  forIntent(intent: IntentId): ToolAction | undefined {
    return this.byIntent.get(intent);
  }
}
