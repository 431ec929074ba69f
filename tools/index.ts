export { ToolExecutor, type ExecutionRequest, type ToolExecutorOptions } from './tool-executor.js';
export { ToolRegistry } from './tool-registry.js';
export { RolePolicy, PolicyFileSchema, CLIENT_INTENTS, CLIENT_ACTIONS, isOutsider, type ConfirmRule, type PolicyFile } from './policy.js';
export {
  hashParams,
  type ToolAction,
  type ToolContext,
  type ExecutionContext,
  type Prepared,
  type ToolResult,
  type Risk,
} from './tool-action.js';
export { ConfirmationRequiredError, ActionNotAllowedError, UnknownActionError, ToolInputError, ToolFailedError, ExecutionInDoubtError } from './tool-errors.js';
export { createTaskActions, ReminderScheduler, formatDue, formatTaskLine, UNDO_WINDOW_MS, type CreateTasksParams, type ReminderSchedulerOptions } from './tasks/index.js';
export { approvePairingAction, type PairingApprover } from './people/approve-pairing.js';
export { subscribeAction, describeEvents } from './notify/subscribe.js';
