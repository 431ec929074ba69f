import { z } from 'zod';
import type { DomainMapping } from '../../store/index.js';
import { sandboxLabel } from '../build/index.js';
import type { ToolAction } from '../tool-action.js';
import { describeMissing, seenOnText } from './check-name-servers.js';
import { normaliseDomain } from './domain-target.js';
import { recheckMapping, type DomainWatchDeps } from './watch-domain.js';

export const VerifyDomainParamsSchema = z.object({ domain: z.string(), mappingId: z.string() });
export type VerifyDomainParams = z.infer<typeof VerifyDomainParamsSchema>;

export interface VerifyDomainDeps extends DomainWatchDeps {
  /** Told when this check ended a mapping (active), so its notice goes out now rather than at the watch's next check. */
  onEnded?: (mapping: DomainMapping) => Promise<void>;
}

/**
 * `domain.verify`: checks a mapped domain on its name servers now and says exactly what is missing:
 * which record, the value expected, and which server answers something else or nothing. Safe: it
 * writes no record (only the check, on the mapping).
 */
export function verifyDomainAction(deps: VerifyDomainDeps): ToolAction<VerifyDomainParams> {
  return {
    name: 'domain.verify',
    intent: 'domain.verify',
    input: VerifyDomainParamsSchema,
    async prepare(slots) {
      if (!slots.domain) return { ok: false, question: 'Which domain should I check?', slot: 'domain' };
      const named = normaliseDomain(slots.domain);
      if ('problem' in named) return { ok: false, refusal: named.problem };
      const mapping = await deps.mappings.latestFor(named.domain);
      if (!mapping) {
        return { ok: false, refusal: `${named.domain} isn't connected to an app, so there is nothing of mine to check there. Say "map ${named.domain} to <app>" first.` };
      }
      return { ok: true, params: { domain: mapping.domain, mappingId: mapping.id } };
    },
    risk: () => 'safe',
    plan: (p) => `Check the records of ${p.domain} on its name servers now.`,
    phrase: (p) => ({ verb: 'verify', target: p.domain, qualifier: 'now' }),
    async execute(p) {
      const before = await deps.mappings.get(p.mappingId);
      if (!before) return { summary: `I no longer have the mapping of ${p.domain}.` };
      const label = sandboxLabel(before.dnsProvider === 'sandbox');
      const { mapping, check } = await recheckMapping(deps, before);
      const where = `${mapping.app} ${mapping.env}`;
      if (before.state !== 'active' && mapping.state === 'active') await deps.onEnded?.(mapping);
      const missing = describeMissing(check);
      const problem = check.problem ? ` (${check.problem})` : '';
      if (!missing.length && check.servers.length) {
        return {
          summary: `${label}✅ ${p.domain} points at ${where}: every record is ${seenOnText(check)}. It is ${mapping.state}.`,
          data: { state: mapping.state, seenOn: check.seenOn, servers: check.servers.length },
        };
      }
      const state =
        mapping.state === 'failed'
          ? `The watch ended without it${mapping.reason ? ` (${mapping.reason.split(':')[0]})` : ''}; map it again to watch again.`
          : mapping.state === 'replaced'
            ? 'That mapping was replaced.'
            : mapping.state === 'active'
              ? 'It was complete before: something changed on the name servers since.'
              : mapping.state === 'verified'
                ? "Ownership is verified (the token is on every server); I'm still watching for the rest."
                : "I'm still watching and will tell you when it is complete.";
      return {
        summary: [
          `${label}${p.domain} → ${where}: ${seenOnText(check)}${problem}. Missing:`,
          ...(missing.length ? missing.map((line) => `• ${line}`) : ['• no name server could be asked']),
          state,
        ].join('\n'),
        data: { state: mapping.state, seenOn: check.seenOn, servers: check.servers.length, missing },
      };
    },
  };
}
