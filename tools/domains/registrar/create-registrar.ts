import type { RegisteredDomainRepo } from '../../../store/index.js';
import type { Registrar } from '../ports.js';
import { PorkbunRegistrar } from './porkbun-registrar.js';
import { SandboxRegistrar } from './sandbox-registrar.js';

export type RegistrarConfig = { kind: 'sandbox' } | { kind: 'porkbun'; apiUrl: string; apiKey: string; secretKey: string; orderTimeoutMs?: number };

/** The registrar the settings name (REGISTRAR; see config/load-config.ts), made once in the composition root. */
export function createRegistrar(config: RegistrarConfig, deps: { domains: RegisteredDomainRepo }): Registrar {
  return config.kind === 'porkbun'
    ? new PorkbunRegistrar({ apiUrl: config.apiUrl, apiKey: config.apiKey, secretKey: config.secretKey, orderTimeoutMs: config.orderTimeoutMs })
    : new SandboxRegistrar(deps.domains);
}
