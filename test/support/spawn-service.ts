import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/switchboard.js');

export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sb-data-'));
}

/** Environment for a child process: ours without the store URLs (tests opt in), plus overrides. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, REDIS_URL: _r, SWITCHBOARD_API_TOKEN: _t, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'info', PORT: '0', NODE_NO_WARNINGS: '1', ...env };
}

export interface SpawnedService {
  url: string;
  process: ChildProcess;
  /** Everything the service printed on stdout (its log). */
  log(): string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `switchboard serve` as a real process, as `npm start` does, and waits until it listens. */
export async function spawnService(env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<SpawnedService> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in time:\n${stdout}\n${stderr}`)), timeoutMs);
    const check = () => {
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"Switchboard is listening/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    process: child,
    log: () => stdout,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `switchboard <args>` to completion. */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A web chat visitor: keeps the session cookie across requests, like a browser. */
export class WebchatVisitor {
  private cookie: string | undefined;
  constructor(private readonly url: string) {}

  private async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.url}${pathname}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return response;
  }

  async say(text: string): Promise<string[]> {
    const response = await this.request('/webchat/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    const body = (await response.json()) as { replies: { text: string }[] };
    return body.replies.map((r) => r.text);
  }

  async history(): Promise<string[]> {
    const response = await this.request('/webchat/api/history');
    const body = (await response.json()) as { messages: { direction: string; text: string }[] };
    return body.messages.map((m) => `${m.direction}: ${m.text}`);
  }

  /** Points the visitor at a restarted service (new port), keeping the session. */
  moveTo(url: string): WebchatVisitor {
    const visitor = new WebchatVisitor(url);
    visitor.cookie = this.cookie;
    return visitor;
  }
}
