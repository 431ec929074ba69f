import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * A store server of the test's own, on its own loopback port, that the test may stop, kill and start
 * again (the same data, the same port), so a fault test never touches the shared servers.
 */
export interface PrivateServer {
  /** postgres://… or redis://… of this server. */
  readonly url: string;
  readonly port: number;
  /** The server's main process while it runs (PostgreSQL: the postmaster, whose children are the backends). */
  pid(): number | undefined;
  /** Starts it again after stop() or kill() (same port, same data); resolves once it accepts connections. */
  start(): Promise<void>;
  /** A clean shutdown: PostgreSQL "fast" (open sessions get 57P01 admin_shutdown), Redis SIGTERM. */
  stop(): Promise<void>;
  /** SIGKILL: the server vanishes mid-conversation, as on a crash or a killed container. */
  kill(): Promise<void>;
  /** SIGSTOP: the server hangs (connections stay open, nothing answers) until resume(). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stops it (if running) and removes its data folder. Call in afterAll. */
  destroy(): Promise<void>;
}

const live = new Set<PrivateServer>();
// A test that dies before afterAll must not leave a postgres or redis-server running behind it.
process.once('exit', () => {
  for (const server of live) (server as { forceKillSync?: () => void }).forceKillSync?.();
});

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL server binaries are missing: apt-get install -y postgresql');
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', name)))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`${name} not found under ${root}: apt-get install -y postgresql`);
  return path.join(root, versions[0]!, 'bin', name);
}

const isRoot = process.getuid?.() === 0;

/**
 * postgres refuses to run as root: as root, run it as the `postgres` user. setpriv rather than runuser:
 * setpriv execs in place (the child IS the postmaster), while runuser forks and waits, and stops itself
 * when its child is stopped (job control), so pause() would leave it stopped for ever.
 */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]] : [command, args];
}

function postgresUid(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user on this machine: apt-get install -y postgresql');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function waitFor(what: string, timeoutMs: number, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function waitExit(child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `sig` to `pid`, which may have ended since it was listed (a backend that finished its session
 * between childPids and the kill: a CI run failed on that ESRCH). Other errors are thrown.
 */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Children of `pid` (PostgreSQL backends call setsid(), so a process-group kill misses them). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/**
 * A PostgreSQL server of the test's own: initdb in a temp folder (trust auth, user `postgres`,
 * database `postgres`), served on a free port of 127.0.0.1. `settings` are passed as `-c name=value`
 * (e.g. the benchmarks' shared_preload_libraries=pg_stat_statements).
 */
export async function startPrivatePostgres(options: { port?: number; settings?: Record<string, string> } = {}): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-pg-'));
  const dataDir = path.join(dir, 'data');
  if (isRoot) {
    const { uid, gid } = postgresUid();
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = asPostgres(postgresBin('initdb'), [
    '-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const port = options.port ?? (await freePort());
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let log = '';

  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return child?.pid;
    }
  };

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const server: PrivateServer & { forceKillSync(): void } = {
    url,
    port,
    pid: () => (running() ? postmasterPid() : undefined),
    async start() {
      if (running()) return;
      // After kill(), old backends may hold the shared memory for a moment: postgres then refuses to
      // start ("pre-existing shared memory block is still in use"), so try again until it accepts.
      await waitFor('private PostgreSQL', 30_000, async () => {
        if (!running()) {
          log = '';
          // fsync off is safe here: a killed server's writes are still in the OS page cache. synchronous_commit
          // stays on, as in production: off, a SIGKILL loses commits the client was told about (a reply
          // recorded as answered and sent, then forgotten), which no production server does.
          const [cmd, args] = asPostgres(postgresBin('postgres'), [
            '-D', dataDir, '-p', String(port), '-k', dir,
            '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
            '-c', 'full_page_writes=off', '-c', 'max_connections=100', '-c', 'shared_buffers=32MB',
            ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
          ]);
          child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
          child.stderr?.on('data', (chunk: Buffer) => {
            log = (log + chunk.toString()).slice(-4000);
          });
          await new Promise((r) => setTimeout(r, 200));
          if (!running()) return false;
        }
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
        client.on('error', () => {});
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => {});
        }
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${log}`);
      });
    },
    async stop() {
      if (!running()) return;
      const pid = postmasterPid();
      if (pid) signal(pid, 'SIGINT'); // fast shutdown
      await waitExit(child, 15_000);
    },
    async kill() {
      if (!running()) return;
      const pid = postmasterPid();
      if (pid) {
        const backends = childPids(pid);
        signal(pid, 'SIGKILL');
        for (const backend of backends) signal(backend, 'SIGKILL');
      }
      child?.kill('SIGKILL');
      await waitExit(child, 5_000);
    },
    pause() {
      const pid = postmasterPid();
      if (!pid) return;
      for (const backend of childPids(pid)) signal(backend, 'SIGSTOP');
      signal(pid, 'SIGSTOP');
    },
    resume() {
      const pid = postmasterPid();
      if (!pid) return;
      signal(pid, 'SIGCONT');
      for (const backend of childPids(pid)) signal(backend, 'SIGCONT');
    },
    async destroy() {
      server.resume();
      await server.stop().catch(() => server.kill());
      live.delete(server);
      rmSync(dir, { recursive: true, force: true });
    },
    forceKillSync() {
      const pid = postmasterPid();
      if (pid && processAlive(pid)) {
        for (const backend of childPids(pid)) signal(backend, 'SIGKILL');
        signal(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(server);
  try {
    await server.start();
  } catch (error) {
    await server.destroy().catch(() => {});
    throw error;
  }
  return server;
}

/** A redis-server of the test's own on a free port of 127.0.0.1, no persistence. */
export async function startPrivateRedis(options: { port?: number } = {}): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-redis-'));
  const port = options.port ?? (await freePort());
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const server: PrivateServer & { forceKillSync(): void } = {
    url,
    port,
    pid: () => (running() ? child?.pid : undefined),
    async start() {
      if (running()) return;
      log = '';
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.on('error', (error) => {
        log += `\n${error.message} (apt-get install -y redis-server)`;
      });
      const collect = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      await waitFor('private Redis', 15_000, async () => {
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
        client.on('error', () => {});
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${log}`);
      });
    },
    async stop() {
      if (!running()) return;
      child?.kill('SIGTERM');
      await waitExit(child, 10_000);
    },
    async kill() {
      if (!running()) return;
      child?.kill('SIGKILL');
      await waitExit(child, 5_000);
    },
    pause() {
      if (running()) child?.kill('SIGSTOP');
    },
    resume() {
      if (running()) child?.kill('SIGCONT');
    },
    async destroy() {
      await server.kill();
      live.delete(server);
      rmSync(dir, { recursive: true, force: true });
    },
    forceKillSync() {
      if (running()) child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(server);
  try {
    await server.start();
  } catch (error) {
    await server.destroy().catch(() => {});
    throw error;
  }
  return server;
}
