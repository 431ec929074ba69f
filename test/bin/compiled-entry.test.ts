import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER, SOURCE_FOLDERS } from '../../bin/compiled-entry.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The build cache of bin/switchboard.js, on a copy of the project's sources (node_modules linked), so
 * that a test may edit a file without touching the real tree. Each test gives the copy its own cache
 * folder (SWITCHBOARD_BUILD_CACHE_DIR, inside the copy so that packages resolve from the build).
 */
describe('switchboard: the compiled CLI and its build cache', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'sb-compiled-'));
    for (const folder of SOURCE_FOLDERS) cpSync(path.join(ROOT, folder), path.join(copy, folder), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json']) cpSync(path.join(ROOT, file), path.join(copy, file));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  function cacheFolder(): string {
    mkdirSync(path.join(copy, 'caches'), { recursive: true });
    return mkdtempSync(path.join(copy, 'caches', 'c-'));
  }

  function run(args: string[], env: Record<string, string>): Promise<Run> {
    const { DATABASE_URL: _d, REDIS_URL: _r, SWITCHBOARD_NO_BUILD_CACHE: _n, ...rest } = process.env;
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(copy, 'bin/switchboard.js'), ...args], {
        cwd: copy,
        env: { ...rest, NODE_NO_WARNINGS: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** The complete builds in a cache folder (temporary folders of a build under way start with a dot). */
  function builds(cache: string): string[] {
    return existsSync(cache) ? readdirSync(cache).filter((name) => existsSync(path.join(cache, name, MARKER))) : [];
  }

  it('builds on the first run, reuses the build on the next, and builds again after a source file changes', { timeout: 120_000 }, async () => {
    const cache = cacheFolder();
    const env = { SWITCHBOARD_BUILD_CACHE_DIR: cache };

    const first = await run(['--help'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Usage: switchboard <command>');
    expect(builds(cache)).toHaveLength(1);
    const [built] = builds(cache);
    const marker = path.join(cache, built!, MARKER);
    const markerBefore = { text: readFileSync(marker, 'utf8'), mtimeMs: statSync(marker).mtimeMs };
    expect(existsSync(path.join(cache, built!, 'bin', 'cli.js'))).toBe(true);
    // The files modules read beside themselves come along.
    expect(existsSync(path.join(cache, built!, 'channels', 'webchat', 'public', 'index.html'))).toBe(true);
    expect(existsSync(path.join(cache, built!, 'tools', 'domains', 'rdap', 'iana-dns.json'))).toBe(true);

    const second = await run(['--help'], env);
    expect(second).toMatchObject({ code: 0, stderr: '', stdout: first.stdout });
    expect(builds(cache)).toEqual([built]);
    expect({ text: readFileSync(marker, 'utf8'), mtimeMs: statSync(marker).mtimeMs }).toEqual(markerBefore);

    // A developer edits a file and runs the command again: the new code runs.
    const cli = path.join(copy, 'bin', 'cli.ts');
    const source = readFileSync(cli, 'utf8');
    writeFileSync(cli, source.replace("'Usage: switchboard <command> [arguments]'", "'Usage (edited): switchboard <command> [arguments]'"));
    try {
      const edited = await run(['--help'], env);
      expect(edited).toMatchObject({ code: 0, stderr: '' });
      expect(edited.stdout).toContain('Usage (edited): switchboard <command>');
      expect(builds(cache)).toHaveLength(2);
      expect(builds(cache)).toContain(built);
    } finally {
      writeFileSync(cli, source);
    }
  });

  it('starts four processes at once on an empty cache: all run, one build is left', { timeout: 120_000 }, async () => {
    const cache = cacheFolder();
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(['--help'], { SWITCHBOARD_BUILD_CACHE_DIR: cache })));
    for (const result of runs) {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('switchboard serve');
    }
    expect(builds(cache)).toHaveLength(1);
    // The processes that lost the race removed their temporary folders.
    expect(readdirSync(cache)).toEqual(builds(cache));
  });

  it('runs the sources through tsx when the cache cannot be written, without a word', { timeout: 60_000 }, async () => {
    // Tests run as root, whom file modes do not stop: a cache folder below a regular file cannot be made either.
    const unwritable = path.join(copy, 'package.json', 'cache');
    const result = await run(['--help'], { SWITCHBOARD_BUILD_CACHE_DIR: unwritable });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage:');
  });

  it('runs the sources through tsx with SWITCHBOARD_NO_BUILD_CACHE=1, building nothing', { timeout: 60_000 }, async () => {
    const cache = cacheFolder();
    const result = await run(['--help'], { SWITCHBOARD_BUILD_CACHE_DIR: cache, SWITCHBOARD_NO_BUILD_CACHE: '1' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(cache)).toEqual([]);
  });

  it('says in one line that a build failed and runs the sources through tsx', { timeout: 60_000 }, async () => {
    const cache = cacheFolder();
    // A file nothing imports on the way to --help, so only the build (every file) trips on it.
    const broken = path.join(copy, 'tools', 'broken-for-test.ts');
    writeFileSync(broken, 'export const x = ;\n');
    try {
      const result = await run(['--help'], { SWITCHBOARD_BUILD_CACHE_DIR: cache });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage:');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/build cache could not be made \(tools\/broken-for-test\.ts:1: .+\); running the TypeScript sources through tsx/);
      expect(builds(cache)).toEqual([]);
      expect(readdirSync(cache)).toEqual([]);
    } finally {
      rmSync(broken, { force: true });
    }
  });

  it('shows a compiled module’s stack frames at the TypeScript file and line', { timeout: 60_000 }, async () => {
    const cache = cacheFolder();
    // An unknown app: AppCatalog.require throws from tools/apps/app-catalog.ts.
    const script = `
      import path from 'node:path';
      import { compiledCli, sourceKey } from ${JSON.stringify(path.join(copy, 'bin', 'compiled-entry.js'))};
      await compiledCli();
      const dir = path.join(process.env.SWITCHBOARD_BUILD_CACHE_DIR, sourceKey().key);
      const { AppCatalog } = await import(path.join(dir, 'tools', 'apps', 'app-catalog.js'));
      try {
        new AppCatalog([], { path: '/nowhere/apps.yaml', exists: false, fromSetting: false }).require('nope');
      } catch (error) {
        console.log(error.stack);
      }`;
    const { DATABASE_URL: _d, REDIS_URL: _r, SWITCHBOARD_NO_BUILD_CACHE: _n, ...rest } = process.env;
    const stack = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: copy, env: { ...rest, SWITCHBOARD_BUILD_CACHE_DIR: cache }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
    });
    const frame = /at AppCatalog\.require \((file:\/\/[^)]+\.ts):(\d+):(\d+)\)/.exec(stack);
    expect(frame, stack).not.toBeNull();
    const file = new URL(frame![1]!).pathname;
    expect(file).toBe(path.join(copy, 'tools', 'apps', 'app-catalog.ts'));
    const line = readFileSync(file, 'utf8').split('\n')[Number(frame![2]) - 1];
    expect(line).toContain('throw new UnknownAppError');
  });

  it('compiles every runtime folder of tsconfig.json (all but tests, benchmarks and scripts)', () => {
    const include = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
    const runtime = include.filter((entry) => !['test', 'bench', 'scripts'].includes(entry) && !entry.includes('.'));
    expect([...SOURCE_FOLDERS].sort()).toEqual(runtime.sort());
  });
});
