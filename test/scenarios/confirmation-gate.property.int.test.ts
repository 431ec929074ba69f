import { describeNeeding } from '../support/needs.js';
import { postgresTestDatabase } from '../support/services.js';
import { confirmationGateProperty } from './confirmation-gate.property.js';

/** The confirmation gate's property (confirmation-gate.property.ts) on PostgreSQL. */
describeNeeding('postgres')('the confirmation gate, on random conversations (PostgreSQL)', () => {
  confirmationGateProperty(() => postgresTestDatabase());
});
