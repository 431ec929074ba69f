export { DialogStep } from './dialog-step.js';
export type { DialogStepDeps } from './dialog-deps.js';
