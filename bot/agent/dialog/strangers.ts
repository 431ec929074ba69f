import type { IntentId } from '../../../intents/index.js';
import type { TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { DialogStepDeps } from './dialog-deps.js';

/** Intents a stranger may use; anything else gets a pairing code. */
const STRANGER_INTENTS = new Set<IntentId>(['greeting', 'help', 'cancel', 'out_of_scope']);

/** People the bot does not know yet (role `unknown`): small talk, or their pairing code. */
export class Strangers {
  constructor(private readonly deps: Pick<DialogStepDeps, 'pairing'>) {}

  /** Whether this message needs a pairing code instead of an answer. */
  mustPair(turn: TurnInput, intent: IntentId): boolean {
    return turn.person.role === 'unknown' && !STRANGER_INTENTS.has(intent);
  }

  async pairingReply(turn: TurnInput): Promise<string> {
    const outcome = await this.deps.pairing.codeFor(turn.person, turn.channel, turn.externalUserId);
    return 'busy' in outcome ? say.PAIRING_BUSY : say.pairingNeeded(outcome.code);
  }
}
