import { describe, expect, it } from 'vitest';
import { openEmbedded } from '../../../store/durable/open-embedded.js';

describe('prepared statements on the embedded database', () => {
  it('are not used: PGlite is one session behind every connection, and a reconnected pool still works', async () => {
    const db = await openEmbedded({ directory: undefined });
    try {
      const text = 'SELECT $1::int + 1 AS n';
      expect((await db.query<{ n: number }>(text, [1])).rows).toEqual([{ n: 2 }]);
      // The pool's connection replaced (as after its idle timeout): the same statement runs again.
      await db.pool.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
      const fresh = await db.pool.connect();
      fresh.release(true);
      expect((await db.query<{ n: number }>(text, [2])).rows).toEqual([{ n: 3 }]);
      expect((await db.query('SELECT name FROM pg_prepared_statements')).rows).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
