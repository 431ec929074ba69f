export {
  INTENT_IDS,
  SLOT_NAMES,
  ENVIRONMENTS,
  DNS_RECORD_TYPES,
  NOTIFY_EVENTS,
  NOTIFY_EVENT_OLD_NAMES,
  notifyEventNames,
  isIntentId,
  type IntentId,
  type SlotName,
  type Slots,
  type Environment,
  type DnsRecordType,
  type NotifyEvent,
} from './ids.js';
export type { Understander, Understanding, UnderstandContext, IntentScore } from './understander.js';
export { appNames, type AppNames } from './slots/index.js';
export type { IntentDefinition } from './intent-definition.js';
export { greetingKind, type GreetingKind } from './greeting-kind.js';
export { INTENT_CATALOG, intentDefinition, intentsForRole } from './catalog/index.js';
export { OfflineUnderstander, type OfflineUnderstanderOptions } from './offline-understander.js';
export {
  evaluateUnderstanding,
  LabelledUtteranceSchema,
  type LabelledUtterance,
  type UnderstandingEvaluation,
  type SlotScore,
} from './evaluate-understanding.js';
export { createUnderstanding, createTaskExtractor, type UnderstandingSetup, type UnderstandingSettings } from './create-understander.js';
export {
  OfflineTaskExtractor,
  FallbackTaskExtractor,
  splitSpeech,
  type TaskExtractor,
  type TaskDraft,
  type TaskExtractionContext,
  type SpeechParts,
} from './task-extraction/index.js';
