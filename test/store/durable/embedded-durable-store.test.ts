import { embeddedTestDatabase } from '../../support/services.js';
import { describeDurableStoreContract } from './durable-store.contract.js';

describeDurableStoreContract('embedded PGlite through pglite-socket', embeddedTestDatabase);
