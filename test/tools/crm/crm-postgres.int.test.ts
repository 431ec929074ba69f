import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase } from '../../support/services.js';
import { crmContract } from './crm.contract.js';

describeNeeding('postgres')('CRM (PostgreSQL)', () => crmContract('PostgreSQL', postgresTestDatabase));
