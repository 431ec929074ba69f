import { SwitchboardError } from '../core/errors.js';

/** The executor refused: a risky action without a valid, unused confirmation from an allowed person. */
export class ConfirmationRequiredError extends SwitchboardError {
  readonly code = 'confirmation_required';
  override readonly status = 403;
  constructor(
    readonly action: string,
    readonly reason: string,
  ) {
    super(`${action} needs a valid typed confirmation: ${reason}`);
  }
}

/** The executor refused: this role may not run this action at all (a client asking for a staff tool). */
export class ActionNotAllowedError extends SwitchboardError {
  readonly code = 'action_not_allowed';
  override readonly status = 403;
  constructor(readonly action: string) {
    super("Sorry, that isn't something I can do here.");
  }
}

export class UnknownActionError extends SwitchboardError {
  readonly code = 'unknown_action';
  constructor(readonly action: string) {
    super(`There is no tool action called ${action}.`);
  }
}

export class ToolInputError extends SwitchboardError {
  readonly code = 'tool_input_invalid';
  override readonly status = 400;
}

/** The action ran and failed; its message is safe to show to the person. */
export class ToolFailedError extends SwitchboardError {
  readonly code = 'tool_failed';
}

/** An execution with this idempotency key was started before and its outcome is not known. */
export class ExecutionInDoubtError extends SwitchboardError {
  readonly code = 'execution_in_doubt';
}
