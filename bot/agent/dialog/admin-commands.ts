import type { LiveDialog } from '../../../flows/index.js';
import type { AgentStateUpdate, AgentStateValue, Command } from '../agent-state.js';
import * as say from '../wording.js';
import type { DialogStepDeps } from './dialog-deps.js';
import type { Replies } from './replies.js';
import type { Requests } from './requests.js';

/**
 * Slash commands that start an action (`/approve CODE ROLE` → `people.approve`). Who may run one is
 * the role policy's answer (`RolePolicy.mayRunCommand`); the action then goes through the same dialog
 * as any request, so a risky one (granting admin) waits for its phrase.
 */
export class AdminCommands {
  constructor(
    private readonly deps: Pick<DialogStepDeps, 'policy' | 'actions'>,
    private readonly requests: Requests,
  ) {}

  async run(command: Command, live: LiveDialog | undefined, state: AgentStateValue, replies: Replies): Promise<AgentStateUpdate> {
    const { turn } = state;
    if (!this.deps.policy.mayRunCommand(turn.person.role, command.action)) {
      replies.push(say.notAllowed(turn.person.role));
      return { replies: replies.drafts, execution: null, activeDialog: state.activeDialog };
    }
    const next = await this.requests.start(live, { action: this.deps.actions.get(command.action), intent: null, slots: {} }, turn, replies);
    const execution = await this.requests.advance(next, turn, replies, command.args);
    return { replies: replies.drafts, execution, directActions: [], activeDialog: next.persist() };
  }
}
