import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../../core/errors.js';
import { acquireDataDirLock, lockFilePath, readDataDirLock } from '../../../store/durable/data-dir-lock.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'sb-lock-'));

describe('data-dir lock', () => {
  it('is held by one process, readable by the owner only, and gone after release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    lock.setUrl('http://127.0.0.1:4321');
    expect(statSync(lockFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readDataDirLock(dir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:4321', adminToken: lock.info.adminToken });
    lock.release();
    expect(readDataDirLock(dir)).toBeUndefined();
  });

  it('refuses a second holder while the first lives, naming it', () => {
    const dir = tempDir();
    // A lock file left by a live process other than this one (the parent of the test runner).
    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: process.ppid, startedAt: '', adminToken: 't' }));
    expect(() => acquireDataDirLock(dir)).toThrowError(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrowError(new RegExp(`pid ${process.ppid}.*DATABASE_URL`));
  });

  it('replaces a stale lock whose process is gone', () => {
    const dir = tempDir();
    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: 2_147_483_000, startedAt: '', adminToken: 'old' }));
    expect(readDataDirLock(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockFilePath(dir), 'utf8')).adminToken).toBe(lock.info.adminToken);
    lock.release();
  });
});
