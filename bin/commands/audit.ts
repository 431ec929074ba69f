import type { AuditRecord, AuditVerification } from '../../store/index.js';
import { runStoreCommand } from '../admin-client.js';
import { UsageError, type CliCommand } from '../cli-context.js';

export const auditCommand: CliCommand = {
  usage: 'audit verify | audit tail [n] [--json]',
  summary: 'check the audit log hash chain (exit 0 when it holds), or print its last records',
  details: 'verify exits 1 and names the first broken record when the chain does not hold. tail prints the last n records (default 20).',
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'verify') {
      const result = (await runStoreCommand(context, 'audit.verify', {})) as AuditVerification;
      context.stdout.write(
        result.ok ? `audit chain holds: ${result.records} records\n` : `audit chain BROKEN at ${result.reason} (${result.records} good records before it)\n`,
      );
      return result.ok ? 0 : 1;
    }
    if (sub === 'tail') {
      const limit = rest.find((a) => /^\d+$/.test(a));
      const records = (await runStoreCommand(context, 'audit.tail', limit ? { limit } : {})) as AuditRecord[];
      for (const r of records) {
        context.stdout.write(
          rest.includes('--json')
            ? `${JSON.stringify(r)}\n`
            : `#${r.seq} ${r.at} ${r.action} by ${r.actor ?? '-'} ${JSON.stringify(r.data)}\n`,
        );
      }
      return 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};
