export {
  createActionDialog,
  missingSlots,
  MAX_WRONG_ATTEMPTS,
  ACTIVE_STATES,
  type ActionDialog,
  type DialogContext,
  type DialogEvent,
  type DialogNote,
  type PendingConfirmation,
  type Sender,
} from './action-dialog.js';
export { dialogFor, taskDialog, peopleDialog } from './dialogs.js';
export { buildPhrase, matchesPhrase, mentionsPhrase, normalisePhrase, looksLikeConfirmation, oneTimeCode, toPhraseWord, type PhraseParts } from './confirmation-phrase.js';
