import type { Turn, TurnHandler } from '../../bot/turn.js';
import type { ReplyDraft } from '../../channels/index.js';

const GREETING = /^\s*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|greetings)\b/i;
const HELP = /^\s*(\/?help|what can you do|how (do i|does this) work)\b/i;

/**
 * A fixed handler for tests of the message path and the HTTP surface, where what the bot says does
 * not matter: greets, explains itself, and says anything else is not available.
 */
export class GreetingHandler implements TurnHandler {
  async handle(turn: Turn): Promise<ReplyDraft[]> {
    const text = turn.message.text;
    if (GREETING.test(text)) {
      const name = turn.person.displayName ?? turn.message.user.displayName;
      return [{ text: `Hello${name ? `, ${name}` : ''}! I'm Switchboard. Type "help" to see what I can do.` }];
    }
    if (HELP.test(text)) {
      return [
        {
          text:
            'I am Switchboard, the agency\'s operator. Soon I will build and deploy apps, manage domains and DNS, ' +
            'keep the CRM and your tasks. For now I can say hello and show this help.',
        },
      ];
    }
    return [{ text: "I can't do that yet. Type \"help\" to see what I can do." }];
  }
}
