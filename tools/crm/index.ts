import type { ToolAction } from '../tool-action.js';
import { addNoteAction } from './add-note.js';
import type { CrmDeps } from './crm-deps.js';
import { createLeadAction } from './create-lead.js';
import { eraseContactAction } from './erase-contact.js';
import { findContactAction } from './find-contact.js';
import { mergeContactsAction } from './merge-contacts.js';
import { updateDealAction } from './update-deal.js';

/** The CRM tool: leads, look-ups, deals, notes, erasure, and merge (a slash command). */
export function createCrmActions(deps: CrmDeps): ToolAction<never>[] {
  return [
    createLeadAction(deps),
    findContactAction(deps),
    updateDealAction(deps),
    addNoteAction(deps),
    eraseContactAction(deps),
    mergeContactsAction(deps),
  ] as unknown as ToolAction<never>[];
}

export { CrmService, type LeadInput, type LeadCapture, type DuplicateMatch } from './crm-service.js';
export { Pipeline } from './pipeline.js';
export { normalisePhone, formatPhone } from './phone.js';
export { needlesFor, receipt } from './erase-contact.js';
export { amountIn } from './update-deal.js';
export { exportCsv, importCsv, type ImportReport } from './crm-csv.js';
export type { CrmDeps } from './crm-deps.js';
