import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../core/errors.js';
import type { Database } from '../../../store/durable/database.js';
import { openPostgres } from '../../../store/durable/open-postgres.js';
import { isStoreUnavailable } from '../../../store/index.js';
import { startPrivatePostgres, type PrivateServer } from '../../support/private-servers.js';

/**
 * Finding 1 and 6 of issue 9, at the store layer: a PostgreSQL of the test's own is stopped, killed and
 * hung while queries and transactions run. The process must not exit (pg emits `error` on checked-out
 * clients), every failure must be a StoreError (503), and the same Database object must work again
 * once the server is back.
 */
let server: PrivateServer;
let db: Database;

beforeAll(async () => {
  server = await startPrivatePostgres();
  db = await openPostgres({ url: server.url, poolSize: 5, connectTimeoutMs: 1_000, statementTimeoutMs: 1_500 });
  await db.query('CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, worker int NOT NULL, n int NOT NULL)');
});

afterAll(async () => {
  await db?.close().catch(() => {});
  await server?.destroy();
});

interface Outcomes {
  ok: number;
  storeErrors: number;
  others: unknown[];
}

/**
 * Workers running queries and transactions (some holding their client across a short sleep, so a
 * connection is checked out when the server goes) until stopped.
 */
function load(workers = 6): { outcomes: Outcomes; stop(): Promise<void> } {
  const outcomes: Outcomes = { ok: 0, storeErrors: 0, others: [] };
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    let n = 0;
    while (running) {
      n++;
      try {
        if (worker % 2 === 0) {
          await db.query('INSERT INTO items (worker, n) VALUES ($1, $2)', [worker, n]);
        } else {
          await db.transaction(async (tx) => {
            await tx.query('INSERT INTO items (worker, n) VALUES ($1, $2)', [worker, n]);
            await tx.query('SELECT pg_sleep(0.05)');
            await tx.query('SELECT count(*) FROM items WHERE worker = $1', [worker]);
          });
        }
        outcomes.ok++;
      } catch (error) {
        if (error instanceof StoreError && error.store === 'durable' && error.status === 503) outcomes.storeErrors++;
        else outcomes.others.push(error);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function waitForRecovery(timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await db.query('SELECT 1');
      await db.transaction((tx) => tx.query('SELECT 1'));
      return Date.now() - started;
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      if (Date.now() - started > timeoutMs) {
        const { totalCount, idleCount, waitingCount } = db.pool;
        throw new Error(`the pool did not recover: ${String((error as Error).cause)} (pool: ${totalCount} total, ${idleCount} idle, ${waitingCount} waiting)`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL going away under load', () => {
  it('a clean restart (admin_shutdown) gives StoreError, never a crash, and the pool recovers by itself', async () => {
    const running = load();
    await sleep(500);
    await server.stop();
    await sleep(1_000);
    await server.start();
    await waitForRecovery();
    await sleep(300);
    await running.stop();
    expect(running.outcomes.others).toEqual([]);
    expect(running.outcomes.storeErrors).toBeGreaterThan(0);
    expect(running.outcomes.ok).toBeGreaterThan(0);
    await expect(db.query('SELECT count(*)::int AS n FROM items')).resolves.toBeDefined();
  });

  it('a killed server (SIGKILL) gives StoreError, and the same Database works after it restarts', async () => {
    const running = load();
    await sleep(500);
    await server.kill();
    await sleep(1_000);
    const whileDown = await db.query('SELECT 1').catch((error: unknown) => error);
    expect(whileDown).toBeInstanceOf(StoreError);
    expect((whileDown as StoreError).message).not.toMatch(/127\.0\.0\.1|ECONN|postgres/i);
    await server.start();
    const ms = await waitForRecovery();
    await running.stop();
    expect(running.outcomes.others).toEqual([]);
    expect(running.outcomes.storeErrors).toBeGreaterThan(0);
    expect(ms).toBeLessThan(15_000);
  });

  it('a hung server gives StoreError in bounded time (query and connect timeouts), then recovers', async () => {
    await waitForRecovery();
    server.pause();
    try {
      const started = Date.now();
      const [query, tx] = await Promise.all([
        db.query('SELECT 1').catch((error: unknown) => error),
        db.transaction((t) => t.query('SELECT 1')).catch((error: unknown) => error),
      ]);
      const elapsed = Date.now() - started;
      expect(query).toBeInstanceOf(StoreError);
      expect(tx).toBeInstanceOf(StoreError);
      // statement timeout 1.5 s (+2 s client-side margin), connect timeout 1 s
      expect(elapsed).toBeLessThan(6_000);
    } finally {
      server.resume();
    }
    await waitForRecovery();
  });

  it('raw pg errors from code that uses the pool directly (the LangGraph checkpointer) are recognised', async () => {
    await server.stop();
    try {
      const raw = await db.pool.query('SELECT 1').catch((error: unknown) => error);
      expect(raw).not.toBeInstanceOf(StoreError);
      expect(isStoreUnavailable(raw)).toBe(true);
    } finally {
      await server.start();
    }
    await waitForRecovery();
    // An SQL error is not an outage.
    const bad = await db.query('SELECT * FROM no_such_table').catch((error: unknown) => error);
    expect(bad).not.toBeInstanceOf(StoreError);
    expect(isStoreUnavailable(bad)).toBe(false);
  });
});
