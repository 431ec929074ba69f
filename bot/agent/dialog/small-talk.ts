import type { LiveDialog } from '../../../flows/index.js';
import { greetingKind, type IntentId } from '../../../intents/index.js';
import type { TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { DialogStepDeps } from './dialog-deps.js';
import type { Strangers } from './strangers.js';

/** Greeting, help, a cancel with nothing to cancel, and what the bot cannot do. */
export class SmallTalk {
  constructor(
    private readonly deps: Pick<DialogStepDeps, 'policy' | 'actions'>,
    private readonly strangers: Strangers,
  ) {}

  async reply(intent: IntentId, turn: TurnInput, live: LiveDialog | undefined): Promise<string> {
    switch (intent) {
      case 'greeting':
        return say.greeting(turn.person.displayName, greetingKind(turn.text));
      case 'help':
        if (turn.person.role === 'unknown') return this.strangers.pairingReply(turn);
        return say.help(turn.person.role, this.deps.policy, this.deps.actions);
      case 'cancel':
        return live?.underWay ? say.CANCELLED : say.NOTHING_TO_CANCEL;
      default:
        return say.OUT_OF_SCOPE;
    }
  }
}
