import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/switchboard.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the real `switchboard` in an empty folder with an empty DATA_DIR and a PORT nobody uses, stdin
 * left open (as a terminal would: a chat that started would wait on it), so that anything a --help
 * run started shows up as a timeout, a listening port or files in DATA_DIR.
 */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { DATABASE_URL: _d, REDIS_URL: _r, ...rest } = process.env;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: env.CWD ?? ROOT,
      env: { ...rest, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('switchboard --help', () => {
  it('lists every subcommand and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: switchboard <command>/);
    for (const name of ['serve', 'chat', 'apps', 'users', 'pairing', 'audit', 'classify', 'eval-clinc']) {
      expect(result.stdout).toMatch(new RegExp(`^  switchboard ${name} `, 'm'));
    }
  });

  it('answers an unknown subcommand with the usage and exit 2', async () => {
    const result = await run(['deplyo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "deplyo"');
    expect(result.stderr).toContain('Usage: switchboard <command>');
    expect(result.stdout).toBe('');
  });

  it('says an empty call is a mistake (exit 2) but still shows the usage', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: switchboard <command>');
  });

  it('refuses an option a command does not take instead of running it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-help-'));
    const result = await run(['serve', '--hlep'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--hlep'");
    expect(result.stderr).toContain('usage: switchboard serve');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('every subcommand answers --help and -h without doing anything', async () => {
  // The list comes from the top-level help, so a command added later is covered without editing this test.
  const top = await run(['--help']);
  const names = [...top.stdout.matchAll(/^ {2}switchboard (\S+) /gm)].map((m) => m[1]!);

  it('found the subcommands', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it.each(names.flatMap((name) => [[name, '--help'], [name, '-h']]))('switchboard %s %s', async (name, flag) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-help-'));
    const port = await freePort();
    // A broken setting too: help must not depend on the settings being right.
    const result = await run([name, flag], { DATA_DIR: path.join(dataDir, 'data'), PORT: String(port), DEFAULT_TIMEZONE: 'Mars/Olympus' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: switchboard ${name}`));
    expect(result.stderr).toBe('');
    // Nothing started: no server on the port, no database or catalog created, no training run.
    expect(await listening(port)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(result.stdout).not.toContain('training on');
    expect(result.ms).toBeLessThan(15_000);
  });

  it('answers help after a sub-subcommand too, and `switchboard help <command>`', async () => {
    const after = await run(['apps', 'add', 'x', '--help']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^Usage: switchboard apps list/);
    expect(after.stdout).toContain('--env <env>=<provider>');
    const topic = await run(['help', 'eval-clinc']);
    expect(topic.code).toBe(0);
    expect(topic.stdout).toMatch(/^Usage: switchboard eval-clinc \[path\]/);
  });

  it('takes --help after `--` as an argument, not a request for help', async () => {
    const result = await run(['eval-clinc', '--', '--help']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toMatch(/^Usage:/);
  });
});
