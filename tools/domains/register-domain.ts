import { z } from 'zod';
import type { RegisteredDomainRepo } from '../../store/index.js';
import { sandboxLabel } from '../build/index.js';
import type { ToolAction } from '../tool-action.js';
import { domainLikeWord } from './check-domain.js';
import { DomainProviderError } from './domain-errors.js';
import { parseDomainName, showDomain } from './domain-name.js';
import { money, years } from './domain-words.js';
import type { DomainQuote, Registrar, Registration } from './ports.js';

export const RegisterDomainParamsSchema = z.object({
  /** Punycode. */
  domain: z.string(),
  unicode: z.string(),
  years: z.number().int().min(1).max(10),
  /** The quote restated and confirmed; execute buys at exactly this or not at all. */
  priceCents: z.number().int().nonnegative(),
  renewalCents: z.number().int().nonnegative(),
  currency: z.string(),
  premium: z.boolean(),
  costCents: z.number().int().nonnegative(),
  registrar: z.string(),
  registrarLabel: z.string(),
});
export type RegisterDomainParams = z.infer<typeof RegisterDomainParamsSchema>;

export interface RegisterDomainDeps {
  registrar: Registrar;
  domains: RegisteredDomainRepo;
}

/**
 * `domain.register`: buys a name (critical: money, and a registration cannot be undone). The restatement
 * carries the registrar's quote (price, years, renewal, premium) and the confirmed cost is exactly what
 * is sent: execute quotes again and stops, buying nothing, when the price moved. An order is never
 * repeated blindly: after a timeout the registrar is asked whether the name is now ours, and a repeat
 * carries the same idempotency key (the confirmation's), so one confirmation buys at most once.
 */
export function registerDomainAction(deps: RegisterDomainDeps): ToolAction<RegisterDomainParams> {
  const { registrar } = deps;
  const label = sandboxLabel(registrar.name === 'sandbox');
  return {
    name: 'domain.register',
    intent: 'domain.register',
    input: RegisterDomainParamsSchema,
    async prepare(slots, ctx) {
      const typed = slots.domain ?? domainLikeWord(ctx.text);
      if (!typed) return { ok: false, question: 'Which domain should I register? For example acme.com.', slot: 'domain' };
      const parsed = parseDomainName(typed);
      if (!parsed.ok) return { ok: false, refusal: parsed.reason };
      const { name } = parsed;
      if (name.registrable !== name.ascii) {
        return { ok: false, refusal: `${showDomain(name)} is a name under ${name.registrable}: one registers ${name.registrable}, then adds ${showDomain(name)} as a DNS record.` };
      }
      const term = slots.years ?? 1;
      if (!Number.isInteger(term) || term < 1 || term > 10) return { ok: false, refusal: 'A domain is registered for 1 to 10 years.' };
      let quote: DomainQuote;
      try {
        quote = await registrar.quote(name.ascii);
      } catch (error) {
        return { ok: false, refusal: `${label}I can't get a price for ${showDomain(name)} from ${registrar.label}: ${reason(error)}` };
      }
      if (!quote.available) {
        const ours = await registrar.owns(name.ascii).catch(() => false);
        return {
          ok: false,
          refusal: ours
            ? `${label}${showDomain(name)} is already ours${registrar.name === 'sandbox' ? ' (registered in the SANDBOX)' : ` (in the ${registrar.label} account)`}; nothing to buy.`
            : `${label}${showDomain(name)} is not available at ${registrar.label}: it is taken or reserved. Say "check ${name.unicode}" to see who holds it.`,
        };
      }
      return {
        ok: true,
        params: {
          domain: name.ascii,
          unicode: name.unicode,
          years: term,
          priceCents: quote.priceCents,
          renewalCents: quote.renewalCents,
          currency: quote.currency,
          premium: quote.premium,
          costCents: quote.priceCents * term,
          registrar: registrar.name,
          registrarLabel: registrar.label,
        },
      };
    },
    risk: () => 'critical',
    plan: (p) =>
      [
        `${label}Register ${showDomain({ ascii: p.domain, unicode: p.unicode })} for ${years(p.years)} through ${p.registrarLabel}.`,
        `Price: ${money(p.costCents, p.currency)} now (${money(p.priceCents, p.currency)} × ${years(p.years)}); it then renews at ${money(p.renewalCents, p.currency)} a year.`,
        p.premium ? '⚠️ This is a premium name: the registry sets a higher price than usual.' : 'Not a premium name.',
        'This spends money and cannot be undone: a registered domain is not refunded.',
      ].join('\n'),
    phrase: (p) => ({ verb: 'register', target: p.domain, qualifier: years(p.years).replace(' ', '-') }),
    async execute(p, ctx) {
      const shown = showDomain({ ascii: p.domain, unicode: p.unicode });
      const record = (registration: Registration) =>
        deps.domains.record({
          domain: p.domain,
          registrar: registrar.name,
          years: p.years,
          costCents: registration.costCents,
          renewalCents: p.renewalCents,
          currency: p.currency,
          premium: p.premium,
          orderId: registration.orderId ?? null,
          idempotencyKey: ctx.idempotencyKey,
          registeredBy: ctx.actor.id,
          conversationId: ctx.conversationId,
        });
      const done = async (registration: Registration) => {
        await record(registration);
        const already = registration.alreadyOwned ? ' (the order had already gone through; nothing was bought twice)' : '';
        return {
          summary:
            `${label}Registered ${shown} for ${years(p.years)} through ${registrar.label} for ${money(registration.costCents, p.currency)}${already}. ` +
            `It renews at ${money(p.renewalCents, p.currency)} a year.${registration.orderId ? ` Order ${registration.orderId}.` : ''}`,
          data: { domain: p.domain, costCents: registration.costCents, years: p.years, orderId: registration.orderId ?? null, alreadyOwned: Boolean(registration.alreadyOwned) },
        };
      };

      // This very confirmation bought it already (a replayed execution): say so, buy nothing.
      const earlier = await deps.domains.findByIdempotencyKey(ctx.idempotencyKey);
      if (earlier) return done({ domain: earlier.domain, costCents: earlier.costCents, years: earlier.years, orderId: earlier.orderId ?? undefined, alreadyOwned: true });

      const quote = await registrar.quote(p.domain);
      if (!quote.available) {
        // Taken since the restatement, or taken by an order of ours whose answer was lost: ask before saying anything.
        if (await registrar.owns(p.domain)) return done({ domain: p.domain, costCents: p.costCents, years: p.years, alreadyOwned: true });
        throw new DomainProviderError('not_available', `${label}${shown} was taken since I quoted it; nothing was bought.`);
      }
      const changed = changes(p, quote);
      if (changed) {
        throw new DomainProviderError(
          'price_changed',
          `${label}${registrar.label}'s price for ${shown} changed since you confirmed (${changed}), so I stopped: nothing was bought. Ask again to see the new price and confirm it.`,
        );
      }
      const order = { domain: p.domain, years: p.years, expectedCostCents: p.costCents, idempotencyKey: ctx.idempotencyKey };
      try {
        return await done(await registrar.register(order));
      } catch (error) {
        if (!(error instanceof DomainProviderError) || (error.code !== 'outcome_unknown' && error.code !== 'not_available')) throw error;
      }
      // The order's outcome is unknown (a timeout, a cut connection) or the name reads as taken: never order
      // again blindly. Ask whether it is ours; only if it is not, repeat once with the same idempotency key.
      if (await ownsOrUnknown(registrar, p.domain)) return done({ domain: p.domain, costCents: p.costCents, years: p.years, alreadyOwned: true });
      try {
        return await done(await registrar.register(order));
      } catch (error) {
        if (error instanceof DomainProviderError && (error.code === 'outcome_unknown' || error.code === 'not_available')) {
          if (await ownsOrUnknown(registrar, p.domain)) return done({ domain: p.domain, costCents: p.costCents, years: p.years, alreadyOwned: true });
          throw new DomainProviderError(
            'outcome_unknown',
            `${label}I could not confirm the registration of ${shown}: ${registrar.label} did not answer in time and does not list it yet. Check the ${registrar.label} account before trying again, so it is not bought twice.`,
          );
        }
        throw error;
      }
    },
  };
}

/** What differs between the confirmed quote and the new one, in words; undefined when nothing does. */
function changes(p: RegisterDomainParams, quote: DomainQuote): string | undefined {
  const parts: string[] = [];
  if (quote.priceCents !== p.priceCents || quote.currency !== p.currency) {
    parts.push(`now ${money(quote.priceCents * p.years, quote.currency)} instead of ${money(p.costCents, p.currency)}`);
  }
  if (quote.renewalCents !== p.renewalCents) parts.push(`renewal now ${money(quote.renewalCents, quote.currency)} a year instead of ${money(p.renewalCents, p.currency)}`);
  if (quote.premium !== p.premium) parts.push(quote.premium ? 'it is now a premium name' : 'it is no longer a premium name');
  return parts.length ? parts.join('; ') : undefined;
}

/** Whether the name is ours; a failing lookup counts as "not known to be ours", and the caller stops rather than guess. */
async function ownsOrUnknown(registrar: Registrar, domain: string): Promise<boolean> {
  try {
    return await registrar.owns(domain);
  } catch (error) {
    throw new DomainProviderError(
      'outcome_unknown',
      `The order for ${domain} may or may not have gone through, and ${registrar.label} cannot be asked right now (${reason(error)}). Check the account before trying again.`,
      false,
      { cause: error },
    );
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

