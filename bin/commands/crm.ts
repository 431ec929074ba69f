import { readFile } from 'node:fs/promises';
import type { ImportReport } from '../../tools/crm/index.js';
import { runStoreCommand } from '../admin-client.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

/**
 * `switchboard crm export|import`: the CRM as CSV (RFC 4180, UTF-8 with a BOM so spreadsheets read
 * accents right), through the store or the running service's admin API like the other store commands.
 */
export const crmCommand: CliCommand = {
  usage: 'crm export [--contacts|--deals] > file.csv | crm import <file.csv> [--dry-run] [--json]',
  summary: 'export contacts or deals as CSV, or import contacts from a CSV (with a dry run)',
  details: [
    'export            contacts (default) or deals, to standard output: number, name, company, email, phone, need, …',
    'import <file>     contacts from a CSV with a header row: name (required), company, email, phone, need; other columns',
    '                  are ignored, so an exported file imports as it is. The same e-mail or phone as a contact (any',
    '                  phone format) fills that contact\'s empty fields or is skipped as a duplicate; a similar name at',
    '                  the same company is skipped as a possible duplicate; the rest are created with a deal at the',
    '                  first stage. --dry-run reports what would be created, updated and skipped, changing nothing.',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'export') {
      const { values } = parseCommandArgs(this, rest, { contacts: { type: 'boolean' }, deals: { type: 'boolean' } });
      if (values.contacts && values.deals) throw new UsageError(`choose one of --contacts and --deals\nusage: switchboard ${this.usage}`);
      const { csv } = (await runStoreCommand(context, 'crm.export', { kind: values.deals ? 'deals' : 'contacts' })) as { csv: string };
      context.stdout.write(csv);
      return 0;
    }
    if (sub === 'import') {
      const { values, positionals } = parseCommandArgs(this, rest, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, { min: 1, max: 1 });
      let csv: string;
      try {
        csv = await readFile(positionals[0]!, 'utf8');
      } catch (error) {
        context.stderr.write(`cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
        return 1;
      }
      const dryRun = Boolean(values['dry-run']);
      const report = (await runStoreCommand(context, 'crm.import', { csv, dryRun })) as ImportReport;
      context.stdout.write(values.json ? `${JSON.stringify(report)}\n` : describe(report, dryRun));
      return report.invalid.length ? 1 : 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};

function describe(r: ImportReport, dryRun: boolean): string {
  const would = dryRun ? 'would be ' : '';
  const lines = [
    `${dryRun ? 'dry run: nothing was changed\n' : ''}${r.created} ${would}created, ${r.updated} ${would}updated, ${r.duplicates.length} ${would}skipped as duplicates, ${r.invalid.length} invalid`,
    ...r.duplicates.map((d) => `  line ${d.line} (${d.name}): duplicate, ${d.reason}`),
    ...r.invalid.map((i) => `  line ${i.line}: invalid, ${i.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}
