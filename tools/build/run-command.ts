import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export type CommandOutcome =
  | { kind: 'exited'; exitCode: number; lastLines: string[] }
  | { kind: 'timeout'; lastLines: string[] }
  | { kind: 'aborted'; lastLines: string[] }
  | { kind: 'output_too_large'; lastLines: string[] };

export interface RunCommandOptions {
  cwd: string;
  /** The complete environment: nothing from this process is inherited. */
  env: Record<string, string>;
  signal: AbortSignal;
  /** Wall-clock limit for this command. */
  timeoutMs: number;
  /** Limit on stdout+stderr bytes; the process group is killed when it is passed. */
  maxOutputBytes?: number;
  /** Called once per complete line of output (stdout and stderr interleaved as they arrive). */
  onLine?: (line: string) => void;
  /** How many trailing lines the outcome carries. */
  keepLines?: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

/**
 * Runs one shell command in its own process group, so that a timeout or a cancel stops everything it
 * started (`npm run build` forks node, which forks esbuild...): `kill(-pgid)` reaches them all, where
 * `child.kill()` would leave the grandchildren running and holding the output pipe open.
 * Never rejects: the outcome says how it ended and the caller names the error.
 */
export function runCommand(command: string, options: RunCommandOptions): Promise<CommandOutcome> {
  const keep = options.keepLines ?? 20;
  const lastLines: string[] = [];
  const pushLine = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > keep) lastLines.shift();
    options.onLine?.(line);
  };

  return new Promise<CommandOutcome>((resolve) => {
    if (options.signal.aborted) return resolve({ kind: 'aborted', lastLines });
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: true, // a new process group whose id is the child's pid
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ending: CommandOutcome['kind'] | undefined;
    let bytes = 0;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (why: Exclude<CommandOutcome['kind'], 'exited'>) => {
      if (ending) return;
      ending = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs ?? 2000);
    };
    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };

    const decoders = new Map<NodeJS.ReadableStream, { decoder: StringDecoder; partial: string }>();
    for (const stream of [child.stdout, child.stderr]) {
      const state = { decoder: new StringDecoder('utf8'), partial: '' };
      decoders.set(stream, state);
      stream.on('data', (chunk: Buffer) => {
        if (ending === 'output_too_large') return;
        bytes += chunk.length;
        if (options.maxOutputBytes !== undefined && bytes > options.maxOutputBytes) {
          killGroup('output_too_large');
          return;
        }
        const text = state.partial + state.decoder.write(chunk);
        const parts = text.split('\n');
        state.partial = parts.pop() ?? '';
        for (const part of parts) pushLine(part.replace(/\r$/, ''));
      });
    }

    const timer = setTimeout(() => killGroup('timeout'), options.timeoutMs);
    const onAbort = () => killGroup('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const finish = (exitCode: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      for (const state of decoders.values()) {
        const rest = state.partial + state.decoder.end();
        if (rest.length > 0 && ending !== 'output_too_large') pushLine(rest);
        state.partial = '';
      }
      // Whatever the shell started and left behind (`sleep 100 &`) goes with it.
      signalGroup('SIGKILL');
      resolve(ending && ending !== 'exited' ? { kind: ending, lastLines } : { kind: 'exited', exitCode, lastLines });
    };
    child.on('error', (error) => {
      pushLine(error.message);
      finish(127);
    });
    child.on('close', (code, sig) => finish(code ?? (sig ? 128 : 1)));
    // A grandchild that left the group can hold the pipes open forever; 'exit' plus a short wait bounds that.
    child.on('exit', (code, sig) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code ?? (sig ? 128 : 1));
      }, 1000).unref();
    });
  });
}

/** PATH and HOME from this process, nothing else: the base every build and check command gets. */
export function minimalEnv(home?: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home ?? process.env.HOME ?? '/tmp',
  };
}
