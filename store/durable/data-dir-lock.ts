import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataDirLockedError } from '../../core/errors.js';

/**
 * Only one process may open the embedded database folder: two would corrupt it. The service (or a
 * CLI command run while no service is up) holds this lock file for as long as it has the folder open.
 * The file also tells the CLI where the running service listens and the token to reach its admin API;
 * it is created with mode 0600, so only the same OS user can read that token.
 */
export interface DataDirLockInfo {
  pid: number;
  startedAt: string;
  /** Where the holder's HTTP server listens, once it does. */
  url?: string;
  /** A per-start token for the admin API, for CLI commands run beside the service. */
  adminToken: string;
}

export interface DataDirLock {
  readonly info: DataDirLockInfo;
  /** Records where the service listens, once it does. */
  setUrl(url: string): void;
  release(): void;
}

const LOCK_FILE = 'switchboard.lock';

export function lockFilePath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

/** Takes the lock or throws DataDirLockedError naming the live holder. A stale lock (dead pid) is replaced. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  const info: DataDirLockInfo = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    adminToken: randomBytes(24).toString('base64url'),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return {
        info,
        setUrl(url) {
          info.url = url;
          writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
        },
        release() {
          const current = readLockFile(file);
          if (current?.pid === process.pid) unlinkSafe(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLockFile(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirLockedError(dataDir, holder.pid);
      unlinkSafe(file); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(dataDir, -1);
}

/** The live holder of the lock, or undefined when nobody holds it. */
export function readDataDirLock(dataDir: string): DataDirLockInfo | undefined {
  const holder = readLockFile(lockFilePath(dataDir));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

function readLockFile(file: string): DataDirLockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirLockInfo>;
    return typeof parsed.pid === 'number' && typeof parsed.adminToken === 'string'
      ? (parsed as DataDirLockInfo)
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unlinkSafe(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
