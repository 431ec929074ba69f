import type { Config } from '../../../config/index.js';
import type { Clock, Logger } from '../../../core/index.js';
import { SandboxDnsRepo, type Database } from '../../../store/index.js';
import type { DnsProvider } from '../ports.js';
import { CloudflareDnsProvider } from './cloudflare-dns-provider.js';
import { SandboxDnsProvider } from './sandbox-dns-provider.js';
import { SandboxNameServer } from './sandbox-name-server.js';

export interface DnsSetup {
  provider: DnsProvider;
  /** The sandbox's authoritative name server, when the provider is the sandbox: start it with the service. */
  nameServer: SandboxNameServer | undefined;
}

/**
 * The DNS provider the settings choose (DNS_PROVIDER, CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_URL), made
 * once in the composition root. With the sandbox comes its name server (SANDBOX_DNS_PORT), not yet
 * started; the sandbox zones name it as their name server once it listens.
 *
 * @example
 * const dns = createDnsProvider(config, { db: stores.db, clock, logger });
 * await dns.nameServer?.start();
 * const zone = await dns.provider.findZone('acme.co.uk');
 */
export function createDnsProvider(config: Pick<Config, 'dns'>, deps: { db: Database; clock: Clock; logger?: Logger }): DnsSetup {
  if (config.dns.provider === 'cloudflare') {
    // load-config refuses DNS_PROVIDER=cloudflare without a token.
    const cloudflare = config.dns.cloudflare!;
    return { provider: new CloudflareDnsProvider({ token: cloudflare.token, baseUrl: cloudflare.apiUrl }), nameServer: undefined };
  }
  const repo = new SandboxDnsRepo(deps.db, deps.clock);
  const nameServer = new SandboxNameServer({ repo, port: config.dns.sandboxPort, ...(deps.logger ? { logger: deps.logger } : {}) });
  const provider = new SandboxDnsProvider(repo, () => (nameServer.address ? [nameServer.address] : []));
  return { provider, nameServer };
}
