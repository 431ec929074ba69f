import { z } from 'zod';
import type { ToolAction } from '../../tool-action.js';
import type { DnsProvider, DnsRecord } from '../ports.js';
import { checkNameAndType, DnsWhereSchema, existing, ExistingRecordSchema, findWhere, labelOf, phraseName, read } from './dns-target.js';
import { canonicalName, comparableContent, describeRecord, sameRecord, sayName } from './validate-record.js';

export const DeleteDnsRecordParamsSchema = DnsWhereSchema.extend({
  /** The record as it was read when the request was prepared: shown, and checked again before deleting. */
  record: ExistingRecordSchema,
});
export type DeleteDnsRecordParams = z.infer<typeof DeleteDnsRecordParamsSchema>;

/**
 * `domain.dns.delete`: deletes one record. Always risky: the record is read first and the restatement
 * shows it as it is now (type, name, value, TTL) and what stops working. Several records of that type
 * and name: the person is asked which (by its value); none: says what is at that name instead.
 */
export function deleteDnsRecordAction(deps: { dns: DnsProvider }): ToolAction<DeleteDnsRecordParams> {
  return {
    name: 'domain.dns.delete',
    intent: 'domain.dns.delete',
    input: DeleteDnsRecordParamsSchema,
    async prepare(slots) {
      const target = checkNameAndType(slots);
      if (!target.ok) return { ok: false, refusal: target.reason };
      const { name, type } = target.value;
      const where = await findWhere(deps.dns, target.value.domain, false);
      if (!where.ok) return { ok: false, refusal: where.reason };
      const at = where.value;
      const label = labelOf(at);
      const atName = await read(at, () => deps.dns.listRecords(at.zoneId!, { name }));
      if (!atName.ok) return { ok: false, refusal: atName.reason };
      const ofType = atName.value.filter((r) => r.type === type);
      const value = slots.recordValue?.trim();
      const matching = value ? ofType.filter((r) => matches(r, value)) : ofType;
      const said = sayName(name, at.zone);
      if (matching.length === 0) {
        const others = atName.value.length ? ` What is there: ${atName.value.map((r) => describeRecord(r, at.zone)).join('; ')}.` : ` There are no records at ${said} at all.`;
        const what = value && ofType.length ? `no ${type} record at ${said} with the value "${value}"` : `no ${type} record at ${said}`;
        return { ok: false, refusal: `${label}There is ${what} in ${at.zone} on ${at.providerLabel}, so nothing to delete.${others}` };
      }
      if (matching.length > 1) {
        const list = matching.map((r, i) => `${i + 1}. ${describeRecord(r, at.zone)}`).join('\n');
        return {
          ok: false,
          question: `${label}${said} has ${matching.length} ${type} records on ${at.providerLabel}:\n${list}\nWhich one should I delete? Give its value (or a part only it has).`,
          slot: 'recordValue',
        };
      }
      return { ok: true, params: { ...at, record: existing(matching[0]!) } };
    },
    risk: () => 'risky',
    plan: (p) =>
      [
        `${labelOf(p)}Delete this record from the zone ${p.zone} on ${p.providerLabel}:`,
        describeRecord(p.record, p.zone),
        consequence(p.record, p.zone),
      ].join('\n'),
    phrase: (p) => ({ verb: 'delete', target: p.record.type, qualifier: phraseName(p.record.name) }),
    async execute(p) {
      const label = labelOf(p);
      const zoneId = p.zoneId!;
      // What was confirmed is what is deleted: a record changed meanwhile is left alone.
      const now = (await deps.dns.listRecords(zoneId, { type: p.record.type, name: p.record.name })).find((r) => r.id === p.record.id);
      if (!now) return { summary: `${label}${describeRecord(p.record, p.zone)} was already gone from ${p.zone}.`, data: { changed: false } };
      if (!sameRecord(now, p.record) || now.ttl !== p.record.ttl) {
        return {
          summary: `${label}That record changed since you confirmed (it is now ${describeRecord(now, p.zone)}), so I deleted nothing. Ask again to see it as it is now.`,
          data: { changed: false },
        };
      }
      await deps.dns.deleteRecord(zoneId, p.record.id);
      const served = p.sandbox ? ' The SANDBOX name server no longer answers it; nothing changed on the internet.' : '';
      return { summary: `${label}Deleted ${describeRecord(p.record, p.zone)} from ${p.zone} on ${p.providerLabel}.${served}`, data: { changed: true } };
    },
  };
}

/** Does the value a person gave name this record? Its whole value, or a part of it ("the google one" needs the extractor). */
function matches(record: DnsRecord, value: string): boolean {
  const content = comparableContent(record).toLowerCase();
  const given = value.replace(/^"(.*)"$/, '$1').trim().toLowerCase();
  if (record.type === 'MX') {
    const [first, second] = given.split(/\s+/);
    if (second !== undefined && /^\d+$/.test(first!)) return String(record.priority) === first && content === canonicalName(second);
  }
  return content === canonicalName(given) || content === given || (given.length >= 3 && content.includes(given));
}

/** What deleting a record stops, in a person's words. */
function consequence(record: { type: string; name: string; content: string }, zone: string): string {
  const at = sayName(record.name, zone);
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
      return `Visitors to ${at} will no longer reach ${record.content} through it (once caches expire).`;
    case 'MX':
      return `Mail for ${at} will no longer be delivered to ${record.content}.`;
    case 'TXT':
      return `Anything that checks this text (a site verification, SPF, DKIM, DMARC) will no longer find it.`;
    default:
      return `Certificate authorities will no longer see this rule for ${at}.`;
  }
}
