// The `switchboard` subcommands, in the order `switchboard --help` lists them.
export { serveCommand } from './serve.js';
export { workerCommand } from './worker.js';
export { chatCommand } from './chat.js';
export { appsCommand } from './apps.js';
export { usersCommand } from './users.js';
export { pairingCommand } from './pairing.js';
export { auditCommand } from './audit.js';
export { runsCommand } from './runs.js';
export { domainsCommand } from './domains.js';
export { crmCommand } from './crm.js';
export { clientsCommand } from './clients.js';
export { demoCommand } from './demo.js';
export { classifyCommand } from './classify.js';
export { evalClincCommand } from './eval-clinc.js';
