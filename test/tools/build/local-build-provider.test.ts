import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BuildCancelledError,
  BuildFailedError,
  BuildTimeoutError,
  CheckoutFailedError,
  LocalBuildProvider,
  OutputTooLargeError,
  type BuildRequest,
  type ProviderRunContext,
} from '../../../tools/build/index.js';
import { makeSiteRepo } from './git-fixture.js';

function recordingContext(signal = new AbortController().signal) {
  const steps: string[] = [];
  const lines: string[] = [];
  const ctx: ProviderRunContext = {
    signal,
    step: async (name) => {
      steps.push(name);
    },
    log: (line) => lines.push(line),
  };
  return { ctx, steps, lines };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local build provider (real git, real shell)', () => {
  let root: string;
  let repo: ReturnType<typeof makeSiteRepo>;
  let provider: LocalBuildProvider;
  let n = 0;
  const request = (over: Partial<BuildRequest> = {}): BuildRequest => ({
    buildId: `b${++n}`,
    app: 'Soarix Web',
    repository: repo.dir,
    ref: 'main',
    commands: ['mkdir -p dist && cp index.html dist/'],
    outputDir: 'dist',
    env: {},
    timeoutMs: 20_000,
    maxOutputBytes: 1_000_000,
    ...over,
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sb-build-'));
    repo = makeSiteRepo(path.join(root, 'repo'));
    provider = new LocalBuildProvider({ workDir: path.join(root, 'work'), artifactsDir: path.join(root, 'artifacts') });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('clones, checks out the ref, runs the commands and stores the output folder by build id', async () => {
    const { ctx, steps, lines } = recordingContext();
    const head = repo.commit({ 'index.html': '<h1>v1</h1>\n' }, 'v1');
    const result = await provider.build(request({ buildId: 'first', commands: ['echo building', 'mkdir -p dist && cp index.html dist/'] }), ctx);
    expect(result.commit).toBe(head);
    expect(result.artifactPath).toBe(path.join(root, 'artifacts', 'first'));
    expect(await readFile(path.join(result.artifactPath!, 'index.html'), 'utf8')).toBe('<h1>v1</h1>\n');
    expect(steps).toEqual(['checkout', 'run echo building', 'run mkdir -p dist && cp index.html dist/', 'store artifact']);
    expect(lines).toContain('building');
    expect(readFileSync(path.join(root, 'artifacts', 'first.log'), 'utf8')).toContain('building');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    // The next build fetches into the same checkout, sees the new commit, and starts from a clean tree.
    const next = repo.commit({ 'index.html': '<h1>v2</h1>\n' }, 'v2');
    const second = await provider.build(
      request({ buildId: 'second', commands: ['test ! -e dist || { echo stale output; exit 1; }', 'mkdir -p dist && cp index.html dist/'] }),
      recordingContext().ctx,
    );
    expect(second.commit).toBe(next);
    expect(await readFile(path.join(second.artifactPath!, 'index.html'), 'utf8')).toBe('<h1>v2</h1>\n');
    // The first artifact is untouched.
    expect(await readFile(path.join(result.artifactPath!, 'index.html'), 'utf8')).toBe('<h1>v1</h1>\n');
  });

  it('builds a tag or an older commit when asked', async () => {
    const old = repo.commit({ 'index.html': 'old\n' }, 'old');
    repo.commit({ 'index.html': 'new\n' }, 'new');
    const result = await provider.build(request({ ref: old }), recordingContext().ctx);
    expect(result.commit).toBe(old);
    expect(await readFile(path.join(result.artifactPath!, 'index.html'), 'utf8')).toBe('old\n');
  });

  it('a failing command names its step and carries the last lines of its output', async () => {
    const error = await provider
      .build(request({ commands: ['echo compiling', 'echo "line one"; echo "error: cannot find module x" >&2; exit 3'] }), recordingContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failed = error as BuildFailedError;
    expect(failed.code).toBe('build_failed');
    expect(failed.exitCode).toBe(3);
    expect(failed.step).toBe('run echo "line one"; echo "error: cannot find module x" >&2; exit 3');
    expect(failed.lastLines).toEqual(expect.arrayContaining(['line one', 'error: cannot find module x']));
    expect(failed.message).toContain('error: cannot find module x');
  });

  it('stops the whole process group at the time limit', async () => {
    const started = Date.now();
    const error = await provider
      .build(request({ commands: ['sleep 30 & echo $! > sleeper.pid; echo waiting; wait'], timeoutMs: 1500 }), recordingContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildTimeoutError);
    expect((error as BuildTimeoutError).lastLines).toContain('waiting');
    expect(Date.now() - started).toBeLessThan(6000);
    const checkout = path.join(root, 'work');
    const pidFile = (await import('node:fs')).readdirSync(checkout).map((d) => path.join(checkout, d, 'sleeper.pid')).find(existsSync)!;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isAlive(pid));
  });

  it('an abort mid-run kills the command and reports the build cancelled', async () => {
    const controller = new AbortController();
    const { ctx, lines } = recordingContext(controller.signal);
    const run = provider.build(request({ commands: ['echo $$ > shell.pid; echo started; sleep 30; echo never'] }), ctx).catch((e: unknown) => e);
    await waitFor(() => lines.includes('started'));
    const abortedAt = Date.now();
    controller.abort();
    const error = await run;
    expect(error).toBeInstanceOf(BuildCancelledError);
    expect((error as BuildCancelledError).step).toContain('sleep 30');
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect(lines).not.toContain('never');
  });

  it('the commands see only the declared variables, PATH and HOME; secret values are masked in logs', async () => {
    process.env.SB_UNDECLARED_SECRET = 'outside-value';
    try {
      const { ctx, lines } = recordingContext();
      const result = await provider.build(
        request({
          env: { SITE_MODE: 'production', DEPLOY_TOKEN: 'tok-1234567890' },
          commands: ['mkdir -p dist && env > dist/env.txt', 'echo "undeclared=${SB_UNDECLARED_SECRET:-unset} mode=$SITE_MODE token=$DEPLOY_TOKEN"'],
        }),
        ctx,
      );
      const seen = Object.fromEntries(
        (await readFile(path.join(result.artifactPath!, 'env.txt'), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(seen.SB_UNDECLARED_SECRET).toBeUndefined();
      expect(seen.SITE_MODE).toBe('production');
      expect(seen.PATH).toBe(process.env.PATH);
      // Only what we set, plus what the shell itself defines (PWD, SHLVL, _).
      expect(Object.keys(seen).filter((k) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(k)).sort()).toEqual(['DEPLOY_TOKEN', 'HOME', 'PATH', 'SITE_MODE']);
      expect(lines).toContain('undeclared=unset mode=production token=[redacted]');
      expect(lines.join('\n')).not.toContain('tok-1234567890');
    } finally {
      delete process.env.SB_UNDECLARED_SECRET;
    }
  });

  it('stops a command that prints more than the output limit', async () => {
    const error = await provider
      .build(request({ commands: ['yes "some output line" | head -c 200000'], maxOutputBytes: 4096 }), recordingContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputTooLargeError);
    expect((error as OutputTooLargeError).message).toContain('4096 bytes');
  });

  it('a ref that does not exist is a checkout failure that says so', async () => {
    const error = await provider.build(request({ ref: 'no-such-branch' }), recordingContext().ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckoutFailedError);
    expect((error as Error).message).toContain('no-such-branch');
  });
});

describe('local build provider: two builds of one app at once', () => {
  it('run one after the other in the shared checkout, each with its own commit and artifact', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'sb-build-twice-'));
    try {
      const repo = makeSiteRepo(path.join(root, 'repo'), 'zero\n');
      const first = repo.commit({ 'index.html': 'one\n' }, 'one');
      const second = repo.commit({ 'index.html': 'two\n' }, 'two');
      const provider = new LocalBuildProvider({ workDir: path.join(root, 'work'), artifactsDir: path.join(root, 'artifacts') });
      const base = { app: 'site', repository: repo.dir, outputDir: 'dist', env: {}, timeoutMs: 20_000, maxOutputBytes: 100_000 };
      // The sleep widens the window in which an overlapping build would clean or re-check-out the folder.
      const commands = ['mkdir -p dist && sleep 0.3 && cp index.html dist/'];
      const [a, b] = await Promise.all([
        provider.build({ ...base, buildId: 'x1', ref: first, commands }, recordingContext().ctx),
        provider.build({ ...base, buildId: 'x2', ref: second, commands }, recordingContext().ctx),
      ]);
      expect([a.commit, b.commit]).toEqual([first, second]);
      expect(await readFile(path.join(a.artifactPath!, 'index.html'), 'utf8')).toBe('one\n');
      expect(await readFile(path.join(b.artifactPath!, 'index.html'), 'utf8')).toBe('two\n');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('repository URLs with credentials', () => {
  it('are never shown: not in logs, not in the error when the fetch fails', async () => {
    const { hideCredentials } = await import('../../../tools/build/index.js');
    expect(hideCredentials('https://bot:ghp_secret123@example.invalid/acme/web.git')).toBe('https://example.invalid/acme/web.git');
    expect(hideCredentials("fatal: unable to access 'https://bot:ghp_secret123@example.invalid/x.git/': Could not resolve host")).toBe(
      "fatal: unable to access 'https://example.invalid/x.git/': Could not resolve host",
    );
    const root = await mkdtemp(path.join(tmpdir(), 'sb-build-creds-'));
    try {
      const provider = new LocalBuildProvider({ workDir: path.join(root, 'work'), artifactsDir: path.join(root, 'artifacts') });
      const { ctx, lines } = recordingContext();
      const error = await provider
        .build(
          {
            buildId: 'c1',
            app: 'x',
            // Port 9 (discard) on loopback: refused at once, no network needed.
            repository: 'http://bot:ghp_secret123@127.0.0.1:9/acme/web.git',
            ref: 'main',
            commands: [],
            outputDir: 'dist',
            env: {},
            timeoutMs: 10_000,
            maxOutputBytes: 1000,
          },
          ctx,
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckoutFailedError);
      expect((error as Error).message).not.toContain('ghp_secret123');
      expect(lines.join('\n')).not.toContain('ghp_secret123');
      expect(readFileSync(path.join(root, 'artifacts', 'c1.log'), 'utf8')).not.toContain('ghp_secret123');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
