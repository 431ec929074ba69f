import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { isStoreUnavailable } from '../../../store/index.js';
import { openEmbedded } from '../../../store/durable/open-embedded.js';
import { PgliteThread, PgliteThreadError } from '../../../store/durable/pglite-thread.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-thread-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The longest the event loop went without running a 5 ms interval while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; workMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { stallMs, workMs: performance.now() - started };
}

describe('the embedded database runs in its own thread', () => {
  it("a long statement leaves the service's event loop free (PostgreSQL's work is not the service's turn)", async () => {
    const db = await openEmbedded({ directory: undefined });
    try {
      // About a second of PostgreSQL CPU in one statement.
      const { stallMs, workMs } = await longestStall(() => db.query('SELECT count(*) FROM generate_series(1, 3000000) a JOIN generate_series(1, 3) b ON true'));
      expect(workMs).toBeGreaterThan(300);
      // Run in this thread, the statement would hold the loop for all of workMs.
      expect(stallMs).toBeLessThan(Math.min(150, workMs / 2));
    } finally {
      await db.close();
    }
  });

  it('keeps what it wrote in its folder across a close and a reopen, through the thread', async () => {
    const directory = path.join(folder, 'pg');
    const first = await openEmbedded({ directory });
    await first.query('CREATE TABLE notes (body text)');
    await first.query('INSERT INTO notes VALUES ($1)', ['kept']);
    await first.close();
    const second = await openEmbedded({ directory });
    try {
      expect(second.description).toMatch(/embedded PostgreSQL \(PGlite\) in .*pg$/);
      expect((await second.query<{ body: string }>('SELECT body FROM notes')).rows).toEqual([{ body: 'kept' }]);
    } finally {
      await second.close();
    }
  });

  it('a thread that dies is started again on the same folder and port: meanwhile queries fail as the store being away, then work, nothing committed lost', async () => {
    const threads: PgliteThread[] = [];
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ stream });
    const said = () => lines.map((line) => JSON.parse(line) as { level: string; msg: string }).map((entry) => `${entry.level}: ${entry.msg}`);
    const db = await openEmbedded({
      directory: path.join(folder, 'crash'),
      logger,
      thread: () => {
        const thread = new PgliteThread();
        threads.push(thread);
        return thread;
      },
    });
    try {
      await db.query('CREATE TABLE notes (body text)');
      await db.query('INSERT INTO notes VALUES ($1)', ['before the crash']);
      await threads[0]!.terminate();
      const during = await db.query('SELECT 1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isStoreUnavailable(during)).toBe(true);
      const deadline = Date.now() + 15_000;
      let rows: unknown[] | undefined;
      while (!rows && Date.now() < deadline) {
        rows = await db.query<{ body: string }>('SELECT body FROM notes').then(
          (result) => result.rows,
          () => undefined,
        );
        if (!rows) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(rows).toEqual([{ body: 'before the crash' }]);
      expect(threads).toHaveLength(2);
      // An operator reads what happened: it stopped, it is back.
      expect(said()).toEqual(['warn: the embedded database stopped unexpectedly; starting it again', 'info: the embedded database is back']);
    } finally {
      await db.close();
    }
  });

  it('a thread that is gone fails its requests at once with a clear error (never a request left waiting)', async () => {
    const thread = new PgliteThread();
    const opening = thread.open({ dataDir: 'memory://', settings: {} });
    await thread.close();
    await expect(opening).rejects.toThrow(PgliteThreadError);
    await expect(thread.request('serve', { host: '127.0.0.1' })).rejects.toThrow(/embedded database's thread exited/);
  });

  it('an error in the thread comes back as the error of its request', async () => {
    const thread = new PgliteThread();
    try {
      // Nothing is open yet: there is no database to dump.
      await expect(thread.request('dump')).rejects.toThrow(PgliteThreadError);
    } finally {
      await thread.close();
    }
  });
});
