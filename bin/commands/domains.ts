import type { DomainMapping, RegisteredDomain } from '../../store/index.js';
import { runStoreCommand } from '../admin-client.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

interface DomainsList {
  mappings: DomainMapping[];
  registered: RegisteredDomain[];
}

interface DomainShown {
  domain: string;
  mapping: DomainMapping | null;
  registered: RegisteredDomain | null;
}

/**
 * `switchboard domains list|show`: the domains registered through Switchboard and the domains mapped to
 * apps (with what the name servers answered at the last check), read through the store or the running
 * service's admin API like the other store commands.
 */
export const domainsCommand: CliCommand = {
  usage: 'domains list [--json] | domains show <domain> [--json]',
  summary: 'list the domains registered and mapped to apps, or show one with its records and its last check on the name servers',
  details: [
    'list            every domain registered or mapped here, newest mapping first: the app and environment it points at,',
    '                its state (pending, verified, active, failed, replaced) and "seen on N of M name servers" at the last check',
    'show <domain>   the registration (registrar, years, price, expiry), the records the mapping wants, and per record',
    '                and name server what was answered at the last check; `domain.verify` in a chat checks again now',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const { values } = parseCommandArgs(this, rest, { json: { type: 'boolean' } });
      const listed = (await runStoreCommand(context, 'domains.list', {})) as DomainsList;
      if (values.json) {
        context.stdout.write(`${JSON.stringify(listed)}\n`);
        return 0;
      }
      context.stdout.write(listTable(listed));
      return 0;
    }
    if (sub === 'show') {
      const { values, positionals } = parseCommandArgs(this, rest, { json: { type: 'boolean' } }, { min: 1, max: 1 });
      const shown = (await runStoreCommand(context, 'domains.show', { domain: positionals[0]! })) as DomainShown;
      context.stdout.write(values.json ? `${JSON.stringify(shown)}\n` : describe(shown));
      return 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));
const seen = (m: DomainMapping) => (m.lastCheck ? `${m.lastCheck.seenOn} of ${m.lastCheck.servers.length}` : 'not checked yet');
const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;

function listTable({ mappings, registered }: DomainsList): string {
  const names = [...new Set([...mappings.map((m) => m.domain), ...registered.map((r) => r.domain)])];
  if (!names.length) return 'no domains yet (register one or map one to an app from a chat)\n';
  const rows = [
    ['DOMAIN', 'APP', 'STATE', 'SEEN ON', 'CHECKED', 'REGISTERED', 'EXPIRES'],
    ...names.map((name) => {
      const m = mappings.find((x) => x.domain === name);
      const r = registered.find((x) => x.domain === name);
      return [
        name,
        m ? `${m.app} ${m.env}` : '-',
        m?.state ?? 'not mapped',
        m ? seen(m) : '-',
        iso(m?.lastCheck?.at),
        r ? `${r.registrar} ${iso(r.registeredAt).slice(0, 10)}` : '-',
        r ? iso(r.expiresAt).slice(0, 10) : '-',
      ];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`).join('');
}

function describe({ domain, mapping: m, registered: r }: DomainShown): string {
  const lines = [domain];
  if (r) {
    lines.push(
      `registered:    ${r.registrar}, ${r.years} year${r.years === 1 ? '' : 's'}, ${money(r.costCents, r.currency)} (renews at ${money(r.renewalCents, r.currency)})${r.premium ? ', premium' : ''}`,
      `               on ${iso(r.registeredAt)}, expires ${iso(r.expiresAt)}${r.orderId ? `, order ${r.orderId}` : ''}`,
    );
  } else {
    lines.push('registered:    not through Switchboard');
  }
  if (!m) return `${[...lines, 'mapped:        no'].join('\n')}\n`;
  lines.push(
    `mapped to:     ${m.app} ${m.env} (zone ${m.zoneName} at ${m.dnsProvider})`,
    `state:         ${m.state}${m.reason ? `: ${m.reason}` : ''}`,
    `asked by:      ${m.requestedBy} on ${iso(m.createdAt)}`,
    `verified:      ${iso(m.verifiedAt)}`,
    `active:        ${iso(m.activeAt)}`,
    `watched until: ${iso(m.watchUntil)}${m.watchJobId ? ` (run ${m.watchJobId.slice(0, 8)}, switchboard runs show ${m.watchJobId.slice(0, 8)})` : ''}`,
    `last check:    ${m.lastCheck ? `${iso(m.lastCheck.at)}, seen on ${seen(m)} name servers (${m.checks} check${m.checks === 1 ? '' : 's'})` : 'none yet'}`,
    ...(m.lastCheck?.problem ? [`               ${m.lastCheck.problem}`] : []),
    'records:',
  );
  for (const record of m.lastCheck?.records ?? m.records.map((x) => ({ ...x, answers: [] }))) {
    lines.push(`  ${record.type} ${record.name} → ${record.content}`);
    for (const answer of record.answers) {
      const ok = !answer.problem && answer.values.includes(record.type === 'TXT' ? record.content : record.content.toLowerCase());
      const said = answer.values.length ? answer.values.join(', ') : (answer.problem ?? 'nothing');
      lines.push(`    ${ok ? 'seen   ' : 'missing'}  ${answer.server}${ok ? '' : `: ${said}`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
