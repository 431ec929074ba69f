import { parse as parseHostname } from 'tldts';
import type { RegisteredDomainRepo } from '../../../store/index.js';
import { DomainProviderError } from '../domain-errors.js';
import type { DomainQuote, Registrar, Registration } from '../ports.js';
import { SANDBOX_TAKEN, sandboxPrice } from './sandbox-prices.js';

/**
 * A registrar that sells nothing: its account is the `registered_domains` rows it wrote, its prices the
 * table in sandbox-prices.ts. Every reply says SANDBOX, so nobody mistakes a sandbox purchase for a real one.
 * It keeps the rules a real registrar keeps: a taken name is refused, the confirmed cost must be the
 * current price, and an order repeated with the same idempotency key returns the first one.
 */
export class SandboxRegistrar implements Registrar {
  readonly name = 'sandbox';
  readonly label = 'the SANDBOX registrar (nothing is bought)';

  constructor(private readonly domains: RegisteredDomainRepo) {}

  async quote(domain: string): Promise<DomainQuote> {
    const price = sandboxPrice(domain, suffixOf(domain));
    const available = !SANDBOX_TAKEN.has(domain) && !(await this.domains.find(domain));
    return { domain, available, ...price, currency: 'USD' };
  }

  async owns(domain: string): Promise<boolean> {
    return (await this.domains.find(domain))?.registrar === this.name;
  }

  async register(request: { domain: string; years: number; expectedCostCents: number; idempotencyKey: string }): Promise<Registration> {
    const previous = await this.domains.findByIdempotencyKey(request.idempotencyKey);
    if (previous) return { domain: previous.domain, costCents: previous.costCents, years: previous.years, orderId: previous.orderId ?? undefined, alreadyOwned: true };
    const quote = await this.quote(request.domain);
    if (!quote.available) throw new DomainProviderError('not_available', `SANDBOX: ${request.domain} is already registered, so it cannot be bought.`);
    const cost = quote.priceCents * request.years;
    if (cost !== request.expectedCostCents) {
      throw new DomainProviderError('price_changed', `SANDBOX: the price of ${request.domain} is now ${cost} cents, not the ${request.expectedCostCents} confirmed; nothing was bought.`);
    }
    const orderId = `sandbox-${request.idempotencyKey.replace(/^confirmation:/, '').slice(0, 12)}`;
    const { created, domain } = await this.domains.record({
      domain: request.domain,
      registrar: this.name,
      years: request.years,
      costCents: cost,
      renewalCents: quote.renewalCents,
      currency: quote.currency,
      premium: quote.premium,
      orderId,
      idempotencyKey: request.idempotencyKey,
    });
    return { domain: domain.domain, costCents: domain.costCents, years: domain.years, orderId, alreadyOwned: !created };
  }
}

function suffixOf(domain: string): string {
  return parseHostname(domain).publicSuffix ?? domain.split('.').at(-1)!;
}
