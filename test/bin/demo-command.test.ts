import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/switchboard.js');

/** `switchboard …` run for real in `cwd`, with only the settings given (no .env is read there). */
function switchboard(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _d, REDIS_URL: _r, APPS: _a, APPS_FILE: _f, DATA_DIR: _dd, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...rest, NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('switchboard demo init', () => {
  it('creates a git repository with a build, registers it with local providers, says what to type, and changes nothing the second time', { timeout: 60_000 }, async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-demo-cli-'));
    const first = await switchboard(cwd, ['demo', 'init'], { DATA_DIR: 'state' });
    expect(first.code, first.stderr).toBe(0);
    const data = path.join(cwd, 'state');
    expect(first.stdout).toContain('Created the demo app demo-site.');
    expect(first.stdout).toContain('build demo-site');
    expect(first.stdout).toContain('deploy demo-site to production');
    expect(first.stdout).toContain(path.join(data, 'demo', 'sites', 'production', 'current'));
    // Where the running service shows the deployed site.
    expect(first.stdout).toMatch(/See it served by the running service: http:\/\/\S+:\d+\/sites\/demo-site\/staging\/ and http:\/\/\S+:\d+\/sites\/demo-site\/production\//);
    const repo = path.join(data, 'demo', 'demo-site');
    expect(execFileSync('git', ['log', '--oneline'], { cwd: repo, encoding: 'utf8' })).toMatch(/^[0-9a-f]{7,} The demo site\n$/);
    const catalog = JSON.parse(readFileSync(path.join(data, 'apps.json'), 'utf8')) as { apps: Record<string, unknown>[] };
    expect(catalog.apps).toEqual([
      expect.objectContaining({
        name: 'demo-site',
        repository: repo,
        build: expect.objectContaining({ provider: 'local', output: 'dist' }),
        environments: {
          staging: expect.objectContaining({ provider: 'local', path: path.join(data, 'demo', 'sites', 'staging'), healthCheck: expect.any(Object) }),
          production: expect.objectContaining({ provider: 'local', path: path.join(data, 'demo', 'sites', 'production'), healthCheck: expect.any(Object) }),
        },
      }),
    ]);
    const listed = await switchboard(cwd, ['apps', 'show', 'demo-site'], { DATA_DIR: 'state' });
    expect(listed.code, listed.stderr).toBe(0);

    const again = await switchboard(cwd, ['demo', 'init'], { DATA_DIR: 'state' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already set up; nothing was changed');
    expect(JSON.parse(readFileSync(path.join(data, 'apps.json'), 'utf8'))).toEqual(catalog);
  });

  it('answers --help and explains a wrong call', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-demo-cli-'));
    const help = await switchboard(cwd, ['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: switchboard demo init \[--name <app>\]/);
    const wrong = await switchboard(cwd, ['demo']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('usage: switchboard demo init');
  });
});
