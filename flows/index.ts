export { LiveDialog, restoreDialog, startDialog, dialogWithPolicy, type ConfirmPolicy, type PersistedDialog } from './live-dialog.js';
export {
  createActionDialog,
  missingSlots,
  attemptsLeft,
  MAX_WRONG_ATTEMPTS,
  UNDER_WAY,
  type ActionDialog,
  type DialogContext,
  type DialogEvent,
  type DialogNote,
  type PendingConfirmation,
  type Sender,
} from './action-dialog.js';
export { dialogFor, taskDialog, peopleDialog } from './dialogs.js';
export { buildPhrase, matchesPhrase, mentionsPhrase, normalisePhrase, looksLikeConfirmation, oneTimeCode, toPhraseWord, type PhraseParts } from './confirmation-phrase.js';
