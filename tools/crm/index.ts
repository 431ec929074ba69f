export { CrmService, type LeadInput, type LeadCapture, type DuplicateMatch } from './crm-service.js';
export { Pipeline } from './pipeline.js';
export { normalisePhone, formatPhone } from './phone.js';
