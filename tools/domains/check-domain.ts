import { z } from 'zod';
import { sandboxLabel } from '../build/index.js';
import type { ToolAction } from '../tool-action.js';
import { DomainProviderError } from './domain-errors.js';
import { parseDomainName, showDomain, type DomainName } from './domain-name.js';
import { day, describePrice } from './domain-words.js';
import type { DomainQuote, Registrar } from './ports.js';
import type { RdapAnswer, RdapClient } from './rdap/index.js';

export const CheckDomainParamsSchema = z.object({
  /** Punycode. */
  domain: z.string(),
  unicode: z.string(),
  suffix: z.string(),
  /** What was typed when it was a name under `domain` (shop.acme.com → acme.com is checked). */
  asked: z.string().nullable(),
  timezone: z.string(),
});
export type CheckDomainParams = z.infer<typeof CheckDomainParamsSchema>;

export interface DomainActionDeps {
  rdap: RdapClient;
  registrar: Registrar;
}

/**
 * `domain.check`: is a name free? The registry's RDAP server decides (only its 404 means free); the
 * registrar adds its price when the name is free. When the registry cannot be reached at all, the
 * registrar's own answer is given and named as such; a registry that is rate limiting gets "try again
 * later", never "available".
 */
export function checkDomainAction(deps: DomainActionDeps): ToolAction<CheckDomainParams> {
  const label = sandboxLabel(deps.registrar.name === 'sandbox');
  return {
    name: 'domain.check',
    intent: 'domain.check',
    input: CheckDomainParamsSchema,
    async prepare(slots, ctx) {
      const typed = slots.domain ?? domainLikeWord(ctx.text);
      if (!typed) return { ok: false, question: 'Which domain should I check? For example acme.com.', slot: 'domain' };
      const parsed = parseDomainName(typed);
      if (!parsed.ok) return { ok: false, refusal: parsed.reason };
      const { name } = parsed;
      const registrable = name.registrable === name.ascii ? name : (parseDomainName(name.registrable) as { ok: true; name: DomainName }).name;
      return {
        ok: true,
        params: {
          domain: registrable.ascii,
          unicode: registrable.unicode,
          suffix: registrable.suffix,
          asked: registrable.ascii === name.ascii ? null : showDomain(name),
          timezone: ctx.timezone,
        },
      };
    },
    risk: () => 'safe',
    plan: (p) => `Check whether ${showDomain({ ascii: p.domain, unicode: p.unicode })} is free to register.`,
    phrase: (p) => ({ verb: 'check', target: p.domain, qualifier: 'domain' }),
    async execute(p) {
      const name = { ascii: p.domain, unicode: p.unicode, idn: p.domain !== p.unicode, suffix: p.suffix, registrable: p.domain };
      const shown = showDomain(name);
      const under = p.asked ? `${p.asked} is a name under ${shown}, which is what one registers. ` : '';
      const idn = name.idn ? ` (${name.unicode} is written ${name.ascii} in the DNS)` : '';
      let answer: RdapAnswer;
      try {
        answer = await deps.rdap.lookup(name);
      } catch (error) {
        // No registry answer at all: the registrar's own search is the next best source, named as such.
        if (error instanceof DomainProviderError && (error.code === 'unavailable' || error.code === 'unsupported_tld')) {
          const quote = await quoteOrUndefined(deps.registrar, p.domain);
          if (quote) {
            const why = error.code === 'unavailable' ? `I couldn't reach the registry for .${p.suffix}` : `The registry for .${p.suffix} has no RDAP service`;
            return {
              summary: `${label}${under}${why}, so here is the registrar's answer: ${registrarSays(deps.registrar.label, shown, quote)}`,
              data: { domain: p.domain, source: 'registrar', available: quote.available, ...priceData(quote) },
            };
          }
        }
        throw error;
      }
      if (answer.status === 'taken') {
        const facts = [
          answer.registrar ? `registered with ${answer.registrar}` : undefined,
          answer.registeredAt ? `since ${day(answer.registeredAt, p.timezone)}` : undefined,
          answer.expiresAt ? `expires on ${day(answer.expiresAt, p.timezone)}` : undefined,
        ].filter(Boolean);
        const ours = await deps.registrar.owns(p.domain).catch(() => false);
        const ourWords = deps.registrar.name === 'sandbox' ? ' It is ours, registered in the SANDBOX.' : ` It is ours, in the ${deps.registrar.label} account.`;
        return {
          summary: `${label}${under}${shown} is taken${facts.length ? `: ${facts.join(', ')}` : ''}.${ours ? ourWords : ''}`,
          data: { domain: p.domain, available: false, ours, ...(answer.registrar ? { registrar: answer.registrar } : {}), ...(answer.expiresAt ? { expiresAt: answer.expiresAt } : {}) },
        };
      }
      const quote = await quoteOrUndefined(deps.registrar, p.domain);
      if (!quote) {
        return { summary: `${label}${under}${shown} is available${idn}. I couldn't get a price from ${deps.registrar.label} just now.`, data: { domain: p.domain, available: true } };
      }
      if (!quote.available) {
        if (await deps.registrar.owns(p.domain).catch(() => false)) {
          const where =
            deps.registrar.name === 'sandbox'
              ? 'registered in the SANDBOX, so the real registry does not know it'
              : `in the ${deps.registrar.label} account; the registry has not published it yet`;
          return { summary: `${label}${under}${shown} is ours: ${where}.`, data: { domain: p.domain, available: false, ours: true } };
        }
        return {
          summary: `${label}${under}The registry has no record of ${shown}${idn}, but ${deps.registrar.label} says it cannot be registered right now (reserved, or just taken).`,
          data: { domain: p.domain, available: false, ...priceData(quote) },
        };
      }
      return {
        summary: `${label}${under}${shown} is available${idn}. Through ${deps.registrar.label}: ${describePrice(quote)}. Say "register ${p.unicode}" to buy it.`,
        data: { domain: p.domain, available: true, ...priceData(quote) },
      };
    },
  };
}

function registrarSays(label: string, shown: string, quote: DomainQuote): string {
  return quote.available ? `${capital(label)} says ${shown} is available: ${describePrice(quote)}.` : `${capital(label)} says ${shown} is not available.`;
}

async function quoteOrUndefined(registrar: Registrar, domain: string): Promise<DomainQuote | undefined> {
  try {
    return await registrar.quote(domain);
  } catch {
    return undefined;
  }
}

function priceData(quote: DomainQuote): Record<string, unknown> {
  return { priceCents: quote.priceCents, renewalCents: quote.renewalCents, currency: quote.currency, premium: quote.premium };
}

function capital(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}

/** A word with a dot in the message, for a name the understanding could not take as a domain ("acme..com"). */
export function domainLikeWord(text: string): string | undefined {
  return text
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“‘<]+|[)"'”’>?!,;:]+$/g, '').replace(/\.$/, ''))
    .find((w) => /\S\.\S|^\.\S|\S\.$|\.\./.test(w) && !/^\d+(\.\d+)*$/.test(w));
}
