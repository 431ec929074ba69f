import { z } from 'zod';
import type { ToolAction } from '../../tool-action.js';
import type { DnsProvider, NewDnsRecord } from '../ports.js';
import { DnsRecordExistsError } from './cloudflare-dns-provider.js';
import { checkNameAndType, DnsWhereSchema, existing, ExistingRecordSchema, findWhere, labelOf, phraseName, priorityIn, read, ttlIn } from './dns-target.js';
import { checkRecord, describeRecord, placeRecord, sameRecord, sayName } from './validate-record.js';

export const AddDnsRecordParamsSchema = DnsWhereSchema.extend({
  record: z.object({
    type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA']),
    name: z.string(),
    content: z.string(),
    ttl: z.number().int(),
    priority: z.number().int().nullable(),
  }),
  /** A long TXT value split into this many quoted 255-byte strings (said in the restatement). */
  chunks: z.number().int().nullable(),
  /** The record this one replaces (a CNAME where a CNAME is, or "change the A record of www"): risky. */
  replaces: ExistingRecordSchema.nullable(),
});
export type AddDnsRecordParams = z.infer<typeof AddDnsRecordParamsSchema>;

/** "change the A record of www to …": an add that replaces the one record of that type and name. */
const UPDATE_WORDS = /\b(change|update|replace|switch|repoint|modify|edit|overwrite|instead)\b/i;

/**
 * `domain.dns.add`: adds a record to the domain's zone. Everything about the record is checked first
 * (validate-record.ts), then the records already at that name are read: an identical one is reported
 * and nothing is sent; a CNAME beside other records is refused; replacing a record (a CNAME over a
 * CNAME, or an explicit change) is risky and the restatement shows the record as it is now.
 */
export function addDnsRecordAction(deps: { dns: DnsProvider }): ToolAction<AddDnsRecordParams> {
  return {
    name: 'domain.dns.add',
    intent: 'domain.dns.add',
    input: AddDnsRecordParamsSchema,
    async prepare(slots, ctx) {
      const target = checkNameAndType(slots);
      if (!target.ok) return { ok: false, refusal: target.reason };
      const { zone, name, type } = target.value;
      const ttl = ttlIn(ctx.text);
      const priority = priorityIn(ctx.text);
      const checked = checkRecord({ type, name, zone, value: slots.recordValue ?? '', ...(ttl === undefined ? {} : { ttl }), ...(priority === undefined ? {} : { priority }) });
      if (!checked.ok) return { ok: false, refusal: checked.reason };
      const { record, chunks } = checked.value;

      const where = await findWhere(deps.dns, target.value.domain, true);
      if (!where.ok) return { ok: false, refusal: where.reason };
      const at = where.value;
      const label = labelOf(at);
      const atName = at.zoneId === null ? { ok: true as const, value: [] } : await read(at, () => deps.dns.listRecords(at.zoneId!, { name }));
      if (!atName.ok) return { ok: false, refusal: atName.reason };

      let replaces = null;
      const placement = placeRecord(record, atName.value, at.zone);
      if (placement.kind === 'identical') {
        return { ok: false, refusal: `${label}That record is already there: ${describeRecord(placement.existing, at.zone)} on ${at.providerLabel}. Nothing to add.` };
      }
      if (placement.kind === 'refused') return { ok: false, refusal: `${label}${placement.reason}` };
      if (placement.kind === 'replace') replaces = existing(placement.existing);
      else if (UPDATE_WORDS.test(ctx.text)) {
        const sameType = atName.value.filter((r) => r.type === record.type);
        if (sameType.length === 1) replaces = existing(sameType[0]!);
        else if (sameType.length > 1) {
          return {
            ok: false,
            refusal: `${label}${sayName(name, at.zone)} has ${sameType.length} ${record.type} records (${sameType.map((r) => describeRecord(r, at.zone)).join('; ')}), so I don't know which one to change. Delete the one that should go, then add the new one.`,
          };
        }
      }
      return {
        ok: true,
        params: {
          ...at,
          record: { type: record.type, name: record.name, content: record.content, ttl: record.ttl, priority: record.priority ?? null },
          chunks: chunks ?? null,
          replaces,
        },
      };
    },
    risk: (p) => (p.replaces ? 'risky' : 'safe'),
    plan: (p) => {
      const label = labelOf(p);
      const split = p.chunks ? `\nThe value is longer than 255 characters, so it is stored as ${p.chunks} quoted strings of at most 255 (DNS joins them back).` : '';
      if (!p.replaces) return `${label}Add ${describeRecord(p.record, p.zone)} to the zone ${p.zone} on ${p.providerLabel}.${split}`;
      return [
        `${label}Replace a record in the zone ${p.zone} on ${p.providerLabel}:`,
        `Now: ${describeRecord(p.replaces, p.zone)}`,
        `After: ${describeRecord(p.record, p.zone)}`,
        `Anything that relies on the current value stops getting it once caches expire (up to ${p.replaces.ttl} seconds).${split}`,
      ].join('\n');
    },
    phrase: (p) => ({ verb: p.replaces ? 'replace' : 'add', target: p.record.type, qualifier: phraseName(p.record.name) }),
    async execute(p) {
      const label = labelOf(p);
      const record: NewDnsRecord = { type: p.record.type, name: p.record.name, content: p.record.content, ttl: p.record.ttl, ...(p.record.priority === null ? {} : { priority: p.record.priority }) };
      const zoneId = p.zoneId ?? (await deps.dns.createZone!(p.zone)).id;
      if (p.replaces) {
        // What was confirmed is what is replaced: a record changed or deleted meanwhile stops it.
        const now = (await deps.dns.listRecords(zoneId, { type: p.replaces.type, name: p.replaces.name })).find((r) => r.id === p.replaces!.id);
        if (!now || !sameRecord(now, p.replaces) || now.ttl !== p.replaces.ttl) {
          return {
            summary: `${label}${describeRecord(p.replaces, p.zone)} ${now ? `changed since you confirmed (it is now ${describeRecord(now, p.zone)})` : 'is no longer there'}, so I changed nothing. Ask again to see it as it is now.`,
            data: { changed: false },
          };
        }
        const updated = await deps.dns.updateRecord(zoneId, p.replaces.id, record);
        return { summary: `${label}Replaced: ${describeRecord(updated, p.zone)} on ${p.providerLabel} (was ${p.replaces.content}).${served(p)}`, data: { changed: true, id: updated.id } };
      }
      try {
        const created = await deps.dns.createRecord(zoneId, record);
        const split = p.chunks ? ` It is longer than 255 characters, so it is stored as ${p.chunks} quoted strings of at most 255 (DNS joins them back).` : '';
        return { summary: `${label}Added ${describeRecord(created, p.zone)} to ${p.zone} on ${p.providerLabel}.${split}${served(p)}`, data: { changed: true, id: created.id } };
      } catch (error) {
        if (error instanceof DnsRecordExistsError) return { summary: `${label}${error.message}`, data: { changed: false } };
        throw error;
      }
    },
  };
}

/** For the sandbox: where to see the change with a real query. */
function served(p: { sandbox: boolean }): string {
  return p.sandbox ? ' The SANDBOX name server answers it now; nothing changed on the internet.' : '';
}
