export { createAgentGraph, type AgentGraph, type AgentGraphDeps } from './agent-graph.js';
export { AgentHandler } from './agent-handler.js';
export { AgentState, type TurnInput, type PersistedDialog, type ExecutionPlan, type Command } from './agent-state.js';
export { parseCommand } from './commands.js';
export type { VoiceNotes, HeardNote } from './voice-notes.js';
export { ActStep } from './act-step.js';
export { DialogStep } from './dialog/index.js';
export { installLightRunContext } from './langgraph-context.js';
