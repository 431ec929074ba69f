export { ClientDesk, MISSES_BEFORE_HANDOFF, type ClientDeskDeps } from './client-desk.js';
export { ClientRepo, type Handoff, type HandoffReason, type PendingLead } from './client-repo.js';
export { Handoffs, type HandoffsDeps, type TeamEvent } from './handoffs.js';
export { ProjectStatus } from './project-status.js';
export { captureLeadAction, CaptureLeadParamsSchema, type CaptureLeadParams } from './capture-lead-action.js';
export { clientRequestIn, type ClientRequest } from './client-requests.js';
export { internalNames, leakDetector } from './internal-names.js';
export type { LeadBook, LeadDetails, CapturedLead, ClientDirectory, KnowledgeAnswers, KnowledgeAnswer } from './client-ports.js';
export * as clientWording from './client-wording.js';
