import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/switchboard.js');

/** `switchboard …` run for real in `cwd`, with only the settings given (no .env is read there). */
function switchboard(cwd: string, args: string[], env: Record<string, string> = {}, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _d, REDIS_URL: _r, APPS: _a, APPS_FILE: _f, DATA_DIR: _dd, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...rest, NODE_NO_WARNINGS: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('switchboard apps', () => {
  it('adds an app to DATA_DIR/apps.json when APPS_FILE is unset, then lists, shows and removes it', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-apps-cli-'));
    const added = await switchboard(cwd, [
      'apps', 'add', 'soarix-web',
      '--alias', 'the marketing site',
      '--repo', 'https://github.com/soarix/web.git',
      '--branch', 'trunk',
      '--build', 'npm ci', '--build', 'npm run build',
      '--output', 'dist',
      '--var', 'NODE_ENV',
      '--env', 'production=local:srv/web',
      '--health', 'production=http://127.0.0.1:9/health',
      '--env', 'staging=vercel:soarix-web',
      '--health', 'preview=test -d /',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Added soarix-web: production → local:./srv/web, staging → vercel:soarix-web, preview → sandbox.');
    expect(added.stdout).toContain('Catalog: ./data/apps.json (the default place, DATA_DIR/apps.json, as APPS_FILE is unset).');
    expect(added.stdout).toContain('uses this change from its next message on');
    expect(JSON.parse(readFileSync(path.join(cwd, 'data/apps.json'), 'utf8'))).toEqual({
      apps: [
        {
          name: 'soarix-web',
          aliases: ['the marketing site'],
          repository: 'https://github.com/soarix/web.git',
          branch: 'trunk',
          build: { commands: ['npm ci', 'npm run build'], output: 'dist' },
          variables: ['NODE_ENV'],
          environments: {
            production: { provider: 'local', path: path.join(cwd, 'srv/web'), healthCheck: { url: 'http://127.0.0.1:9/health' } },
            staging: { provider: 'vercel', project: 'soarix-web' },
            preview: { provider: 'sandbox', healthCheck: { command: 'test -d /' } },
          },
        },
      ],
    });

    const list = await switchboard(cwd, ['apps', 'list']);
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.split('\n');
    expect(header).toMatch(/^NAME\s+ALIASES\s+PRODUCTION\s+STAGING\s+PREVIEW\s+FROM$/);
    expect(row).toMatch(/^soarix-web\s+the marketing site\s+local:\.\/srv\/web\s+vercel:soarix-web\s+sandbox\s+file$/);
    // The file now names the apps; APPS is unset, so its sample names are gone.
    expect(list.stdout).not.toContain('acme-shop');

    const json = await switchboard(cwd, ['apps', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: 'soarix-web', branch: 'trunk', source: 'file' })]);

    const show = await switchboard(cwd, ['apps', 'show', 'soarix-web']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('aliases:     the marketing site');
    expect(show.stdout).toContain('build:       local, time limit 600 s\n  1. npm ci\n  2. npm run build');
    expect(show.stdout).toContain('production:  local:./srv/web, keeps 5 releases, health http://127.0.0.1:9/health');
    expect(show.stdout).toContain('preview:     sandbox, health `test -d /`');

    const removed = await switchboard(cwd, ['apps', 'remove', 'soarix-web']);
    expect(removed).toMatchObject({ code: 0, stdout: expect.stringContaining('Removed soarix-web from ./data/apps.json.') });
    expect(JSON.parse(readFileSync(path.join(cwd, 'data/apps.json'), 'utf8'))).toEqual({ apps: [] });
  });

  it('lists the APPS names as sandbox apps while there is no catalog, and edits the file APPS_FILE names', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-apps-cli-'));
    const list = await switchboard(cwd, ['apps', 'list'], { APPS: 'alpha,beta' });
    expect(list.stdout).toMatch(/^alpha\s+-\s+sandbox\s+sandbox\s+sandbox\s+APPS$/m);
    expect(list.stdout).toContain('not created yet: `switchboard apps add` creates it');
    writeFileSync(path.join(cwd, 'apps.yaml'), '# ours\napps:\n  - name: alpha\n    aliases: [first]\n');
    const env = { APPS: 'alpha,beta', APPS_FILE: 'apps.yaml' };
    const added = await switchboard(cwd, ['apps', 'add', 'gamma', '--env', 'production=sandbox'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Catalog: ./apps.yaml (APPS_FILE).');
    expect(readFileSync(path.join(cwd, 'apps.yaml'), 'utf8')).toMatch(/^# ours\n[\s\S]*name: gamma/);
    const after = await switchboard(cwd, ['apps', 'list', '--json'], env);
    expect(JSON.parse(after.stdout).map((a: { name: string; source: string }) => `${a.name}:${a.source}`)).toEqual(['alpha:file', 'gamma:file', 'beta:APPS']);
  });

  it('says clearly what is wrong, with exit 1 for an unknown app, 2 for a wrong call, 78 for an invalid catalog', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-apps-cli-'));
    const unknown = await switchboard(cwd, ['apps', 'remove', 'blog'], { APPS: 'alpha' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no app called "blog".');
    const onlyInApps = await switchboard(cwd, ['apps', 'remove', 'alpha'], { APPS: 'alpha' });
    expect(onlyInApps.code).toBe(1);
    expect(onlyInApps.stderr).toContain('alpha is named in the APPS setting');
    const show = await switchboard(cwd, ['apps', 'show', 'blog'], { APPS: 'alpha' });
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('There is no app called "blog". Known apps: alpha.');

    const badEnv = await switchboard(cwd, ['apps', 'add', 'web', '--env', 'prod=local:/srv']);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('--env prod=local:/srv: start with an environment (production, staging, preview)');
    const noName = await switchboard(cwd, ['apps', 'show']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/^usage: switchboard apps list/);

    const invalid = await switchboard(cwd, ['apps', 'add', 'Web', '--env', 'production=netlify']);
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toContain('(Web).name: must be lower-case letters, digits and dashes');
    expect(invalid.stderr).toContain('(Web).environments.production.provider: "netlify" is not a deploy provider');
  });

  it('feeds the understanding: an alias in the catalog names its app', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-apps-cli-'));
    writeFileSync(path.join(cwd, 'apps.yaml'), 'apps:\n  - { name: soarix-web, aliases: [the marketing site] }\n  - { name: acme-shop, aliases: [storefront] }\n');
    const lines = ['deploy the marketing site to production', 'roll back the storefront on staging'].map((text) => JSON.stringify({ text }));
    const result = await switchboard(cwd, ['classify'], { APPS_FILE: 'apps.yaml' }, `${lines.join('\n')}\n`);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { slots: { app?: string } });
    expect(out.map((o) => o.slots.app)).toEqual(['soarix-web', 'acme-shop']);
  });
});
