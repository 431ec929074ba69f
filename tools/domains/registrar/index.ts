export { PorkbunRegistrar, type PorkbunRegistrarOptions } from './porkbun-registrar.js';
export { SandboxRegistrar } from './sandbox-registrar.js';
export { SANDBOX_TAKEN, sandboxPrice } from './sandbox-prices.js';
export { createRegistrar, type RegistrarConfig } from './create-registrar.js';
