// Understanding with Claude: the hybrid policy the bot uses, the Claude understander behind it,
// and the errors they raise. Most used first.
export { HybridUnderstander, type HybridUnderstanderOptions } from './hybrid-understander.js';
export { askClaudeReason, shouldAskClaude, looksMultiIntent, type AskClaudeReason, type ClaudePolicy } from './should-ask-claude.js';
export {
  ClaudeUnderstander,
  CLAUDE_CONFIDENCE,
  CLAUDE_MAX_TEXT_CHARS,
  CLAUDE_MAX_TOKENS,
  type ClaudeUnderstanderOptions,
} from './claude-understander.js';
export {
  ClaudeTimeoutError,
  ClaudeHttpError,
  ClaudeConnectionError,
  ClaudeOutputError,
  ClaudeInputError,
  fromSdkError,
  type ClaudeError,
  type ClaudeOutputProblem,
} from './claude-errors.js';
export { ClaudeToolCall, CLAUDE_RETRY_PAUSE_BUDGET_MS, capText, safeName, type ClaudeConnectionOptions, type ToolCall } from './claude-tool-call.js';
export { type UnderstandingLogger, SILENT_UNDERSTANDING_LOGGER } from './understanding-logger.js';
export { buildIntentTools, toolNameForIntent, intentForToolName, TOOL_NAME_PATTERN, type IntentTool } from './intent-tools.js';
export { buildSystemPrompt } from './system-prompt.js';
export { normaliseToolInput, type NormalisedToolInput, type NormaliseToolInputContext } from './normalise-tool-input.js';
