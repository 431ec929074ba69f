import path from 'node:path';
import { JsonFileSandboxStore, ProviderNotConfiguredError, type SandboxStore } from '../build/index.js';
import type { DeployProvider } from './deploy-provider.js';
import { LocalDeployProvider } from './local-deploy-provider.js';
import { SandboxDeployProvider } from './sandbox-deploy-provider.js';
import { VercelDeployProvider } from './vercel-deploy-provider.js';

export interface DeployProvidersOptions {
  /** DATA_DIR: the sandbox keeps its state in `sandbox/` unless a store is given. */
  dataDir: string;
  /** VERCEL_TOKEN and VERCEL_API_URL; without a token, vercel deploys are refused with a clear sentence. */
  vercel?: { token?: string; apiUrl?: string };
  sandboxStore?: SandboxStore;
  sandboxStepDelayMs?: number;
}

/**
 * The deploy providers by the names the app catalog uses, made once in the composition root.
 *
 * @example
 * const deploys = createDeployProviders({ dataDir: settings.DATA_DIR, vercel: { token: settings.VERCEL_TOKEN, apiUrl: settings.VERCEL_API_URL } });
 * const live = await deploys.get(target.provider).current({ app: app.name, env, target });
 */
export function createDeployProviders(options: DeployProvidersOptions): { get(name: DeployProvider['name']): DeployProvider } {
  const local = new LocalDeployProvider();
  const sandbox = new SandboxDeployProvider({
    store: options.sandboxStore ?? new JsonFileSandboxStore(path.join(options.dataDir, 'sandbox')),
    stepDelayMs: options.sandboxStepDelayMs,
  });
  const vercel = options.vercel?.token ? new VercelDeployProvider({ token: options.vercel.token, baseUrl: options.vercel.apiUrl }) : undefined;
  return {
    get(name) {
      switch (name) {
        case 'local':
          return local;
        case 'sandbox':
          return sandbox;
        case 'vercel':
          if (!vercel) throw new ProviderNotConfiguredError('Vercel', 'VERCEL_TOKEN');
          return vercel;
      }
    },
  };
}
