// Tasks from free speech (voice notes, long messages): the port, its implementations, and the offline
// reading underneath them. Most used first.
export {
  type TaskExtractor,
  type TaskExtractionContext,
  type TaskDraft,
  type KnownPerson,
  type KnownContact,
  TaskDraftSchema,
  KnownPersonSchema,
  KnownContactSchema,
  knownPeople,
  knownContacts,
  MAX_KNOWN_PEOPLE,
  MAX_KNOWN_CONTACTS,
} from './task-extractor.js';
export { OfflineTaskExtractor } from './offline-task-extractor.js';
export { FallbackTaskExtractor, type FallbackTaskExtractorOptions } from './fallback-task-extractor.js';
export {
  ClaudeTaskExtractor,
  TASK_EXTRACTION_MAX_TEXT_CHARS,
  TASK_EXTRACTION_MAX_TOKENS,
  type ClaudeTaskExtractorOptions,
} from './claude-task-extractor.js';
export { splitSpeech, type SpeechParts } from './split-speech.js';
export { isTaskLike, classifyClause, type ClauseKind } from './classify-clause.js';
export { matchPerson, isSelf, foldName, type PersonMatch } from './match-person.js';
export { ContactIndex } from './match-contacts.js';
export {
  createTasksTool,
  CreateTasksInputSchema,
  CreateTasksAnswerSchema,
  CREATE_TASKS_TOOL_NAME,
  MAX_TASKS_PER_MESSAGE,
  type CreateTasksInput,
  type CreateTasksAnswer,
  type CreateTasksTool,
} from './create-tasks-tool.js';
export { buildTaskExtractionPrompt, MAX_PEOPLE_IN_PROMPT, MAX_CONTACTS_IN_PROMPT, type TaskPromptContext } from './task-extraction-prompt.js';
