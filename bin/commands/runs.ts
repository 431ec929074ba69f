import type { JobRecord } from '../../store/index.js';
import { runStoreCommand } from '../admin-client.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

/**
 * `switchboard runs list|show|logs`: builds, deploys and rollbacks from the job records, through the
 * store or the running service's admin API like the other store commands.
 */
export const runsCommand: CliCommand = {
  usage: 'runs list [--status <status>] [--kind <kind>] [--limit <n>] [--json] | runs show <id> [--json] | runs logs <id> [--tail <n>] [--json]',
  summary: 'list builds, deploys and rollbacks (jobs), show one with its steps and outcome, or print its log',
  details: [
    'list        newest first (default 20); --status queued|running|succeeded|failed|cancelled|interrupted, --kind build|deploy|rollback',
    'show <id>   the whole id, or its first characters as `runs list` shows them',
    'logs <id>   the last lines of its log (default 100, --tail <n>); the store keeps the last 1000 lines of each job',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const { values } = parseCommandArgs(this, rest, { status: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
      const jobs = (await runStoreCommand(context, 'runs.list', {
        ...(values.status ? { status: values.status } : {}),
        ...(values.kind ? { kind: values.kind } : {}),
        ...(values.limit ? { limit: values.limit } : {}),
      })) as JobRecord[];
      if (values.json) {
        context.stdout.write(`${JSON.stringify(jobs)}\n`);
        return 0;
      }
      if (!jobs.length) {
        context.stdout.write('no runs yet\n');
        return 0;
      }
      const rows = [
        ['ID', 'KIND', 'STATUS', 'REQUESTED BY', 'CREATED', 'DURATION', 'STEP', 'WHAT'],
        ...jobs.map((j) => [
          j.id.slice(0, 8),
          j.kind,
          j.status,
          j.requesterName ?? j.requestedBy,
          new Date(j.createdAt).toISOString().replace(/\.\d+Z$/, 'Z'),
          duration(j),
          j.steps.at(-1)?.name ?? '-',
          j.lockLabel ?? j.lockKey ?? '-',
        ]),
      ];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      for (const row of rows) context.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
      return 0;
    }
    if (sub === 'show') {
      const { values, positionals } = parseCommandArgs(this, rest, { json: { type: 'boolean' } }, { min: 1, max: 1 });
      const job = (await runStoreCommand(context, 'runs.show', { id: positionals[0]! })) as JobRecord;
      context.stdout.write(values.json ? `${JSON.stringify(job)}\n` : describe(job));
      return 0;
    }
    if (sub === 'logs') {
      const { values, positionals } = parseCommandArgs(this, rest, { tail: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1 });
      const logs = (await runStoreCommand(context, 'runs.logs', { id: positionals[0]!, ...(values.tail ? { tail: values.tail } : {}) })) as {
        id: string;
        logLines: number;
        lines: string[];
      };
      if (values.json) {
        context.stdout.write(`${JSON.stringify(logs)}\n`);
        return 0;
      }
      if (logs.logLines > logs.lines.length) context.stderr.write(`(last ${logs.lines.length} of ${logs.logLines} lines)\n`);
      for (const line of logs.lines) context.stdout.write(`${line}\n`);
      return 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};

function describe(j: JobRecord): string {
  const at = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());
  const lines = [
    `${j.kind} ${j.id}`,
    `status:        ${j.status}${j.cancelRequestedBy ? ` (cancel asked by ${j.cancelRequestedBy})` : ''}`,
    `requested by:  ${j.requesterName ? `${j.requesterName} (${j.requestedBy})` : j.requestedBy}`,
    ...(j.lockKey ? [`lock:          ${j.lockKey}${j.lockLabel ? ` (${j.lockLabel})` : ''}`] : []),
    `created:       ${at(j.createdAt)}`,
    `started:       ${at(j.startedAt)}`,
    `ended:         ${at(j.endedAt)}`,
    `duration:      ${duration(j)}`,
    ...(j.workerId ? [`worker:        ${j.workerId}`] : []),
    `params:        ${JSON.stringify(j.params)}`,
    ...(j.result !== undefined ? [`result:        ${JSON.stringify(j.result)}`] : []),
    ...(j.error ? [`error:         ${j.error.code}: ${j.error.message}${j.error.step ? ` (in step "${j.error.step}")` : ''}`] : []),
    `steps:${j.steps.length ? '' : '         none'}`,
    ...j.steps.map((s) => `  ${s.name.padEnd(24)} ${s.endedAt === undefined ? 'running' : formatMs(s.endedAt - s.startedAt)}`),
    `log:           ${j.logLines} lines (switchboard runs logs ${j.id.slice(0, 8)})`,
  ];
  return `${lines.join('\n')}\n`;
}

function duration(j: JobRecord): string {
  if (j.startedAt === undefined) return '-';
  return j.endedAt === undefined ? `${formatMs(Date.now() - j.startedAt)}…` : formatMs(j.endedAt - j.startedAt);
}

function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const s = Math.round(ms / 1_000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
