import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redactor } from '../../core/index.js';
import {
  ArtifactMissingError,
  BuildCancelledError,
  BuildFailedError,
  BuildTimeoutError,
  CheckoutFailedError,
  LAST_LINES,
  OutputTooLargeError,
} from './build-errors.js';
import type { BuildProvider, BuildRequest, BuildResult, ProviderRunContext } from './build-provider.js';
import { minimalEnv, runCommand } from './run-command.js';

export interface LocalBuildProviderOptions {
  /** One checkout per app lives here and is reused (fetched) by the next build of that app. */
  workDir: string;
  /** Artifacts are stored as `<artifactsDir>/<buildId>/`, with the build's log beside them as `<buildId>.log`. */
  artifactsDir: string;
  /** HOME for the commands; defaults to this process's HOME (package managers keep their caches there). */
  home?: string;
}

const SECRET_NAME = /(token|secret|password|passwd|api[-_]?key|private|credential)/i;
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Builds on this machine: fetch the repository into the app's work folder, check out the ref, run the
 * app's commands with only its declared variables, under a time and output limit, and store the
 * output folder by build id. Builds of one app share its checkout, so they run one after the other in this
 * process; across processes (BullMQ workers) each machine has its own work folder.
 */
export class LocalBuildProvider implements BuildProvider {
  readonly name = 'local' as const;

  /** Builds of one app in this process wait for each other: they share the app's checkout. */
  private readonly checkoutQueue = new Map<string, Promise<unknown>>();

  constructor(private readonly options: LocalBuildProviderOptions) {}

  async build(req: BuildRequest, ctx: ProviderRunContext): Promise<BuildResult> {
    const key = checkoutFolder(req.app);
    const before = this.checkoutQueue.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => this.buildNow(req, ctx));
    const settled = run.catch(() => undefined);
    this.checkoutQueue.set(key, settled);
    void settled.then(() => {
      if (this.checkoutQueue.get(key) === settled) this.checkoutQueue.delete(key);
    });
    return run;
  }

  private async buildNow(req: BuildRequest, ctx: ProviderRunContext): Promise<BuildResult> {
    if (!SAFE_SEGMENT.test(req.buildId)) throw new TypeError(`build id ${JSON.stringify(req.buildId)} is not a safe folder name`);
    const startedAt = Date.now();
    const deadline = startedAt + req.timeoutMs;
    const remaining = () => Math.max(0, deadline - Date.now());
    const redactor = new Redactor(Object.entries(req.env).filter(([k]) => SECRET_NAME.test(k)).map(([, v]) => v));
    const logLines: string[] = [];
    const log = (line: string) => {
      const safe = redactor.text(line);
      logLines.push(safe);
      ctx.log(safe);
    };
    await mkdir(this.options.artifactsDir, { recursive: true });
    const logFile = path.join(this.options.artifactsDir, `${req.buildId}.log`);

    let step = 'checkout';
    try {
      if (ctx.signal.aborted) throw new BuildCancelledError(step);
      await ctx.step(step);
      const checkout = path.join(this.options.workDir, checkoutFolder(req.app));
      const commit = await this.checkout(req, checkout, ctx.signal, remaining, log);
      log(`checked out ${req.ref} at ${commit}`);

      const env = { ...minimalEnv(this.options.home), ...req.env };
      let outputBytes = 0;
      for (const command of req.commands) {
        step = `run ${command}`;
        if (ctx.signal.aborted) throw new BuildCancelledError(step);
        if (remaining() === 0) throw new BuildTimeoutError(step, req.timeoutMs, logLines.slice(-LAST_LINES));
        await ctx.step(step);
        log(`$ ${command}`);
        const outcome = await runCommand(command, {
          cwd: checkout,
          env,
          signal: ctx.signal,
          timeoutMs: remaining(),
          maxOutputBytes: Math.max(0, req.maxOutputBytes - outputBytes),
          onLine: (line) => {
            outputBytes += Buffer.byteLength(line) + 1;
            log(line);
          },
          keepLines: LAST_LINES,
        });
        const lastLines = outcome.lastLines.map((l) => redactor.text(l));
        switch (outcome.kind) {
          case 'aborted':
            throw new BuildCancelledError(step);
          case 'timeout':
            throw new BuildTimeoutError(step, req.timeoutMs, lastLines);
          case 'output_too_large':
            throw new OutputTooLargeError(step, req.maxOutputBytes);
          case 'exited':
            if (outcome.exitCode !== 0) throw new BuildFailedError(step, lastLines, outcome.exitCode);
        }
      }

      step = 'store artifact';
      await ctx.step(step);
      const artifactPath = await this.storeArtifact(req, checkout);
      log(`artifact stored (${req.outputDir})`);
      return { commit, artifactPath, durationMs: Date.now() - startedAt };
    } finally {
      await writeFile(logFile, logLines.length > 0 ? `${logLines.join('\n')}\n` : '').catch(() => undefined);
    }
  }

  /** Clone once, fetch afterwards; returns the full sha of `ref`. */
  private async checkout(
    req: BuildRequest,
    dir: string,
    signal: AbortSignal,
    remaining: () => number,
    log: (line: string) => void,
  ): Promise<string> {
    const repo = req.repository;
    const shown = hideCredentials(repo);
    const git = (args: string[], cwd: string) => runGit(args, cwd, signal, remaining(), req.timeoutMs);
    const fail = (reason: string) => new CheckoutFailedError(shown, req.ref, reason);
    const exists = await stat(path.join(dir, '.git')).then(
      () => true,
      () => false,
    );
    if (exists) {
      log(`fetching ${shown}`);
      await git(['remote', 'set-url', 'origin', repo], dir);
      const fetched = await git(['fetch', '--prune', '--tags', '--force', 'origin', '+refs/heads/*:refs/remotes/origin/*'], dir);
      if (fetched.code !== 0) throw fail(lastLine(fetched.stderr));
    } else {
      log(`cloning ${shown}`);
      await mkdir(path.dirname(dir), { recursive: true });
      // Clone beside the final folder and rename, so an interrupted clone is never mistaken for a checkout.
      const temp = `${dir}.clone-${process.pid}-${Date.now()}`;
      const cloned = await git(['clone', '--no-checkout', '--', repo, temp], path.dirname(dir));
      if (cloned.code !== 0) {
        await rm(temp, { recursive: true, force: true });
        throw fail(lastLine(cloned.stderr));
      }
      await rename(temp, dir);
    }
    let sha: string | undefined;
    for (const candidate of [`refs/remotes/origin/${req.ref}`, `refs/tags/${req.ref}`, req.ref]) {
      if (candidate.startsWith('-')) continue;
      const parsed = await git(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], dir);
      if (parsed.code === 0) {
        sha = parsed.stdout.trim();
        break;
      }
    }
    if (!sha) throw fail(`there is no branch, tag or commit called ${req.ref}`);
    const checkedOut = await git(['checkout', '--force', '--detach', sha], dir);
    if (checkedOut.code !== 0) throw fail(lastLine(checkedOut.stderr));
    // The folder is reused: leftovers of the last build (its output folder included) must not leak into this one.
    await git(['clean', '-ffdx'], dir);
    return sha;
  }

  private async storeArtifact(req: BuildRequest, checkout: string): Promise<string> {
    const source = path.resolve(checkout, req.outputDir);
    if (source !== checkout && !source.startsWith(checkout + path.sep)) throw new ArtifactMissingError(req.outputDir);
    const info = await stat(source).catch(() => undefined);
    if (!info?.isDirectory()) throw new ArtifactMissingError(req.outputDir);
    const target = path.join(this.options.artifactsDir, req.buildId);
    const temp = `${target}.partial`;
    await rm(temp, { recursive: true, force: true });
    await cp(source, temp, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    return target;
  }
}

/** A readable, collision-free folder name per app (app names are free text in the catalog). */
function checkoutFolder(app: string): string {
  const slug = app.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'app';
  return `${slug}-${createHash('sha256').update(app).digest('hex').slice(0, 8)}`;
}

/** `https://user:token@host/x.git` → `https://host/x.git`: repository URLs may carry a token. */
export function hideCredentials(repository: string): string {
  // Anywhere in the text: git quotes the URL inside its own error messages.
  return repository.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s'"]*@/gi, '$1');
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return hideCredentials(lines[lines.length - 1] ?? 'git failed');
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runGit(args: string[], cwd: string, signal: AbortSignal, timeoutMs: number, limitMs: number): Promise<GitResult> {
  if (signal.aborted) return Promise.reject(new BuildCancelledError('checkout'));
  if (timeoutMs <= 0) return Promise.reject(new BuildTimeoutError('checkout', limitMs));
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        signal,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        // Never ask for a password on a terminal nobody is watching.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (signal.aborted || e.name === 'AbortError') return reject(new BuildCancelledError('checkout'));
        if (e.killed) return reject(new BuildTimeoutError('checkout', limitMs));
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        reject(e);
      },
    );
  });
}
