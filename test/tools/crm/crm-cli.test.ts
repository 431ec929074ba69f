import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../../bin/switchboard.js');

/** `switchboard …` run for real on the embedded database in DATA_DIR. */
function switchboard(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _d, REDIS_URL: _r, DATA_DIR: _dd, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dataDir, env: { ...rest, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, PORT: '0', CRM_DEFAULT_COUNTRY: 'GB' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('switchboard crm import|export', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-crm-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('imports a spreadsheet CSV (dry run first), then exports it with a BOM', async () => {
    const file = path.join(dataDir, 'leads.csv');
    writeFileSync(file, '\uFEFFname,company,email,phone,need\r\n"Ng, Lily",Pixelforge,lily@pixelforge.io,07911 123456,"a site\r\nand ""hosting"""\r\nSam Patel,Patel Foods,sam@patelfoods.co.uk,,\r\nSam P.,,SAM@patelfoods.co.uk,,\r\n');
    const dry = await switchboard(dataDir, ['crm', 'import', file, '--dry-run']);
    expect(dry.stdout).toBe(
      'dry run: nothing was changed\n2 would be created, 0 would be updated, 1 would be skipped as duplicates, 0 invalid\n  line 5 (Sam P.): duplicate, same e-mail as line 4 earlier in the file\n',
    );
    expect(dry.code, dry.stderr).toBe(0);
    const done = await switchboard(dataDir, ['crm', 'import', file]);
    expect(done.stdout).toMatch(/^2 created, 0 updated, 1 skipped as duplicates, 0 invalid\n/);
    const exported = await switchboard(dataDir, ['crm', 'export', '--contacts']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.startsWith('\uFEFFnumber,name,company,email,phone,need,source,created_at\r\n1,"Ng, Lily",Pixelforge,lily@pixelforge.io,+447911123456,"a site\r\nand ""hosting""",import,')).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Ng, Lily');
    const missing = await switchboard(dataDir, ['crm', 'import', path.join(dataDir, 'nope.csv')]);
    expect([missing.code, missing.stderr]).toEqual([1, `cannot read ${path.join(dataDir, 'nope.csv')}: no such file\n`]);
    // Each run opens the embedded database afresh (a few seconds each on an idle machine).
  }, 180_000);
});
