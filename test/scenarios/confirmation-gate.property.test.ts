import { describe } from 'vitest';
import { embeddedTestDatabase } from '../support/services.js';
import { confirmationGateProperty } from './confirmation-gate.property.js';

/** The confirmation gate's property (confirmation-gate.property.ts) on the embedded PGlite: it runs without services. */
describe('the confirmation gate, on random conversations (PGlite)', () => {
  confirmationGateProperty(() => embeddedTestDatabase());
});
