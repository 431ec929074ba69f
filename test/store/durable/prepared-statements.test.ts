import { describe, expect, it } from 'vitest';
import { openEmbedded } from '../../../store/durable/open-embedded.js';
import { describePreparedStatements } from './prepared-statements.contract.js';

describePreparedStatements('embedded PGlite', async () => {
  const db = await openEmbedded({ directory: undefined });
  return { db, close: () => db.close() };
});

describe('prepared statements on the embedded database when its connection is replaced', () => {
  it('the new connection forgets what the old one prepared (PGlite is one session behind both), so the same statements prepare again', async () => {
    const db = await openEmbedded({ directory: undefined });
    try {
      const text = 'SELECT $1::int + 1 AS n';
      expect((await db.query<{ n: number }>(text, [1])).rows).toEqual([{ n: 2 }]);
      // The pool's one connection dropped (as after a client-side timeout): the next query gets a new one.
      const old = await db.pool.connect();
      old.release(true);
      expect((await db.query<{ n: number }>(text, [2])).rows).toEqual([{ n: 3 }]);
      expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>(text, [3])).rows)).toEqual([{ n: 4 }]);
      expect((await db.query('SELECT name FROM pg_prepared_statements')).rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
