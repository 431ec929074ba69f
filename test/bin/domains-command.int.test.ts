import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAdminCommand, type AdminDeps } from '../../bot/admin-commands.js';
import { SystemClock } from '../../core/clock.js';
import { BadRequestError } from '../../core/errors.js';
import { DomainMappingRepo, RegisteredDomainRepo } from '../../store/index.js';
import { describeNeeding } from '../support/needs.js';
import { postgresTestDatabase, type TestDatabase } from '../support/services.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/switchboard.js');

/** `switchboard …` run for real on the test's PostgreSQL database. */
function switchboard(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _d, REDIS_URL: _r, APPS: _a, APPS_FILE: _f, DATA_DIR: _dd, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dataDir,
      env: { ...rest, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, PORT: '0', DATABASE_URL: t.url! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let dataDir = '';
let t: TestDatabase;
const clock = new SystemClock();

describeNeeding('postgres')('switchboard domains', () => {
  beforeAll(async () => {
    // What a conversation leaves behind: a registered domain and a mapping with one check on two servers.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-domains-cli-'));
    t = await postgresTestDatabase();
    await new RegisteredDomainRepo(t.db, clock).record({
      domain: 'example.test',
      registrar: 'sandbox',
      years: 1,
      costCents: 1_099,
      renewalCents: 1_299,
      currency: 'USD',
      premium: false,
      idempotencyKey: 'confirmation:reg-1',
    });
    const mappings = new DomainMappingRepo(t.db, clock);
    const records = [
      { type: 'A' as const, name: 'www.example.test', content: '127.0.0.1' },
      { type: 'TXT' as const, name: '_switchboard-verify.www.example.test', content: 'switchboard-verify=abc123' },
    ];
    const { mapping } = await mappings.create({
      domain: 'www.example.test',
      app: 'demo-site',
      env: 'production',
      dnsProvider: 'sandbox',
      zoneId: 'zone-1',
      zoneName: 'example.test',
      records,
      token: 'switchboard-verify=abc123',
      watchUntil: clock.now() + 3_600_000,
      requestedBy: 'cli',
      conversationId: null,
      idempotencyKey: 'confirmation:map-1',
    });
    await mappings.recordCheck(
      mapping.id,
      {
        at: clock.now(),
        seenOn: 1,
        servers: ['127.0.0.1:5301', '127.0.0.1:5302'],
        records: [
          { ...records[0]!, answers: [{ server: '127.0.0.1:5301', values: ['127.0.0.1'] }, { server: '127.0.0.1:5302', values: ['192.0.2.1'] }] },
          { ...records[1]!, answers: [{ server: '127.0.0.1:5301', values: ['switchboard-verify=abc123'] }, { server: '127.0.0.1:5302', values: [], problem: 'no such name' }] },
        ],
      },
      'pending',
      ['pending'],
    );
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists registered and mapped domains with their state and how many name servers have them', async () => {
    const listed = await switchboard(['domains', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DOMAIN\s+APP\s+STATE\s+SEEN ON\s+CHECKED\s+REGISTERED\s+EXPIRES$/);
    expect(lines.find((l) => l.startsWith('www.example.test'))).toMatch(/^www\.example\.test\s+demo-site production\s+pending\s+1 of 2\s+\d{4}-/);
    expect(lines.find((l) => l.startsWith('example.test'))).toMatch(/^example\.test\s+-\s+not mapped\s+-\s+-\s+sandbox \d{4}-\d\d-\d\d\s+\d{4}-\d\d-\d\d$/);
  }, 60_000);

  it('shows one domain: per record and name server, seen or what it answers instead; --help and a wrong subcommand', async () => {
    const shown = await switchboard(['domains', 'show', 'WWW.example.test']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('mapped to:     demo-site production (zone example.test at sandbox)');
    expect(shown.stdout).toContain('state:         pending');
    expect(shown.stdout).toMatch(/last check:    \S+, seen on 1 of 2 name servers \(1 check\)/);
    expect(shown.stdout).toContain('  A www.example.test → 127.0.0.1\n    seen     127.0.0.1:5301\n    missing  127.0.0.1:5302: 192.0.2.1');
    expect(shown.stdout).toContain('    missing  127.0.0.1:5302: no such name');
    expect(shown.stdout).toContain('registered:    not through Switchboard');

    const help = await switchboard(['domains', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: switchboard domains list [--json]\n       switchboard domains show <domain> [--json]');
    const wrong = await switchboard(['domains', 'remove', 'x']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('usage: switchboard domains list');
  }, 60_000);

  it('answers an unknown domain with a sentence (the admin command behind `domains show`)', async () => {
    const domains = { mappings: new DomainMappingRepo(t.db, clock), registered: new RegisteredDomainRepo(t.db, clock) };
    await expect(runAdminCommand({ domains } as AdminDeps, 'domains.show', { domain: 'nothing.test' })).rejects.toThrow(
      'Switchboard has no record of nothing.test: it was neither registered nor mapped here.',
    );
    await expect(runAdminCommand({ domains } as AdminDeps, 'domains.show', {})).rejects.toThrow(BadRequestError);
  }, 60_000);
});
