import { z } from 'zod';
import type { CrmRepo } from '../../store/index.js';
import type { CrmService } from './crm-service.js';

/** Spreadsheets (Excel) read a CSV as UTF-8 only when it starts with a byte order mark. */
const BOM = '\uFEFF';

/**
 * `switchboard crm export`: contacts or deals as CSV per RFC 4180 (csv-stringify: quotes, commas and
 * newlines in fields quoted, CRLF line ends), UTF-8 with a BOM.
 */
export async function exportCsv(crm: CrmRepo, kind: 'contacts' | 'deals'): Promise<string> {
  const rows =
    kind === 'contacts'
      ? (await crm.listContacts()).map((c) => ({
          number: c.number,
          name: c.name,
          company: c.companyName ?? '',
          email: c.email ?? '',
          phone: c.phone ?? '',
          need: c.need ?? '',
          source: c.source ?? '',
          created_at: new Date(c.createdAt).toISOString(),
        }))
      : (await crm.listDeals()).map((d) => ({
          number: d.number,
          title: d.title,
          company: d.companyName ?? '',
          contact: d.contactName ?? '',
          stage: d.stage,
          amount: d.amount ?? '',
          currency: d.currency ?? '',
          created_at: new Date(d.createdAt).toISOString(),
          closed_at: d.closedAt === null ? '' : new Date(d.closedAt).toISOString(),
        }));
  const columns = kind === 'contacts' ? ['number', 'name', 'company', 'email', 'phone', 'need', 'source', 'created_at'] : ['number', 'title', 'company', 'contact', 'stage', 'amount', 'currency', 'created_at', 'closed_at'];
  // csv-parse and csv-stringify (about 30 ms of imports together) are loaded when a CSV is made or
  // read, not with every start of the service.
  const { stringify } = await import('csv-stringify/sync');
  return BOM + stringify(rows, { header: true, columns, record_delimiter: 'windows' });
}

export interface ImportReport {
  created: number;
  updated: number;
  /** Rows that match an existing contact (or an earlier row) and add nothing, or look like someone already there. */
  duplicates: { line: number; name: string; reason: string }[];
  /** Rows that cannot be read (no name, a bad e-mail or phone): a clear reason each, nothing changed for them. */
  invalid: { line: number; reason: string }[];
}

const BREAK = /\r\n|\r|\n/g;

const Row = z.object({
  name: z.string().trim().min(1, 'no name'),
  company: z.string().trim().optional(),
  email: z.union([z.literal(''), z.string().trim().email('the e-mail is not valid')]).optional(),
  phone: z.string().trim().optional(),
  need: z.string().trim().optional(),
});

/**
 * `switchboard crm import file.csv [--dry-run]`: contacts from a CSV with a header row (name, company,
 * email, phone, need; other columns such as number are ignored; a BOM is accepted). A row with the
 * e-mail or phone of an existing contact fills that contact's empty fields (updated) or adds nothing
 * (duplicate); a similar name at the same company is a duplicate to check by hand; everything else is
 * created with a deal at the first stage. A dry run reports the same without writing.
 */
export async function importCsv(service: CrmService, text: string, options: { dryRun: boolean }): Promise<ImportReport> {
  const { parse } = await import('csv-parse/sync');
  const records = parse(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, relax_column_count: true, raw: true }) as {
    record: Record<string, string>;
    raw: string;
  }[];
  const report: ImportReport = { created: 0, updated: 0, duplicates: [], invalid: [] };
  // Earlier rows of this file, for a dry run (nothing is written, so the store cannot tell).
  const seen = new Map<string, string>();
  // The line a row starts on, for the report. Counted from the raw text: csv-parse's own `info.lines`
  // counts a CRLF inside a quoted field twice.
  let linesBefore = 1;
  for (const { record, raw } of records) {
    const line = linesBefore + 1 + (/^(?:\r\n|\r|\n)*/.exec(raw)![0].match(BREAK)?.length ?? 0);
    linesBefore += raw.match(BREAK)?.length ?? 0;
    const parsed = Row.safeParse(record);
    if (!parsed.success) {
      report.invalid.push({ line, reason: parsed.error.issues[0]!.message });
      continue;
    }
    const row = parsed.data;
    const phone = row.phone ? service.normalisePhone(row.phone) : undefined;
    if (row.phone && !phone) {
      report.invalid.push({ line, reason: `"${row.phone}" is not a phone number` });
      continue;
    }
    const email = row.email ? row.email.toLowerCase() : undefined;
    const keys = [email && `e:${email}`, phone && `p:${phone}`].filter((k): k is string => Boolean(k));
    const earlier = keys.map((k) => seen.get(k)).find(Boolean);
    if (earlier) {
      report.duplicates.push({ line, name: row.name, reason: `same ${keys[0]!.startsWith('e:') ? 'e-mail' : 'phone'} as ${earlier} earlier in the file` });
      continue;
    }
    keys.forEach((k) => seen.set(k, `line ${line}`));
    const lead = { name: row.name, company: row.company || null, email: email ?? null, phone: phone ?? null, need: row.need || null, createdBy: 'cli' };
    const matches = await service.duplicatesOf(lead);
    const exact = matches.find((m) => m.reason !== 'name');
    if (exact) {
      const c = exact.contact;
      const adds = (lead.email && !c.email) || (lead.phone && !c.phone) || (lead.need && !c.need) || (lead.company && !c.companyId);
      if (!adds) {
        report.duplicates.push({ line, name: row.name, reason: `same ${exact.reason === 'email' ? 'e-mail' : 'phone'} as contact #${c.number} ${c.name}` });
        continue;
      }
      if (!options.dryRun) await service.captureLead(lead);
      report.updated++;
      continue;
    }
    if (matches.length) {
      const c = matches[0]!.contact;
      report.duplicates.push({ line, name: row.name, reason: `similar to contact #${c.number} ${c.name}${c.companyName ? ` at ${c.companyName}` : ''}` });
      continue;
    }
    if (!options.dryRun) await service.createLead(lead);
    report.created++;
  }
  return report;
}
