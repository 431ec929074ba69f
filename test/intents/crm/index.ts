// The CRM evaluation set, for the tests beside it and for `npm run bench:nlu`.
export { CRM_INTENTS, CRM_SET, CRM_SLOTS, measureCrm, type CrmSlot } from './independent-set.js';
