export { evaluateClinc, type ClincResult } from './evaluate-clinc.js';
export { defaultClincPath } from './default-clinc-path.js';
export { loadClinc, ClincDataSchema, CLINC_OOS_LABEL, type ClincData } from './clinc-data.js';
