import { crmContract } from './crm.contract.js';
import { embeddedTestDatabase } from '../../support/services.js';

crmContract('PGlite', embeddedTestDatabase);
