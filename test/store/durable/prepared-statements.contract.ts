import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../store/durable/database.js';

/**
 * Statements with parameters are prepared once per connection (database.ts StatementNames), on every
 * PostgreSQL the service runs on. `open` gives a database served over ONE connection, so what one
 * query prepared is what the next one sees.
 */
export function describePreparedStatements(name: string, open: () => Promise<{ db: Database; close(): Promise<void> }>): void {
  describe(`prepared statements (${name})`, () => {
    let t: { db: Database; close(): Promise<void> };
    beforeAll(async () => {
      t = await open();
    }, 60_000);
    afterAll(() => t?.close());

    const prepared = async (text: string) =>
      (await t.db.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text])).rows.map((r) => r.name);

    it('a statement with parameters is prepared once and reused; one without is not', async () => {
      const text = 'SELECT $1::int + 1 AS n';
      for (const n of [1, 2, 3]) expect((await t.db.query<{ n: number }>(text, [n])).rows).toEqual([{ n: n + 1 }]);
      expect(await prepared(text)).toHaveLength(1);
      await t.db.query('SELECT 41 + 1 AS plain');
      expect(await prepared('SELECT 41 + 1 AS plain')).toEqual([]);
    });

    it('inside a transaction too, with the same name', async () => {
      const text = 'SELECT $1::text AS said';
      await t.db.query(text, ['outside']);
      const said = await t.db.transaction(async (tx) => (await tx.query<{ said: string }>(text, ['inside'])).rows[0]!.said);
      expect(said).toBe('inside');
      expect(await prepared(text)).toHaveLength(1);
    });

    it('a table that gains a column (another instance migrated): the statement runs again, unnamed, with the new column', async () => {
      await t.db.query('CREATE TABLE prepared_probe (a int)');
      await t.db.query('INSERT INTO prepared_probe VALUES (1)');
      const text = 'SELECT * FROM prepared_probe WHERE a = $1';
      expect((await t.db.query(text, [1])).rows).toEqual([{ a: 1 }]);
      await t.db.query('ALTER TABLE prepared_probe ADD COLUMN b int DEFAULT 7');
      expect((await t.db.query(text, [1])).rows).toEqual([{ a: 1, b: 7 }]);
      expect((await t.db.query(text, [1])).rows).toEqual([{ a: 1, b: 7 }]);
      // In a transaction the refusal aborts it, and the next attempt runs the statement unnamed.
      const inTx = 'SELECT * FROM prepared_probe WHERE a = $1 AND b IS NOT NULL';
      expect(await t.db.transaction(async (tx) => (await tx.query(inTx, [1])).rows)).toEqual([{ a: 1, b: 7 }]);
      await t.db.query('ALTER TABLE prepared_probe ADD COLUMN c int DEFAULT 8');
      await expect(t.db.transaction(async (tx) => (await tx.query(inTx, [1])).rows)).rejects.toThrow(/cached plan must not change result type/);
      expect(await t.db.transaction(async (tx) => (await tx.query(inTx, [1])).rows)).toEqual([{ a: 1, b: 7, c: 8 }]);
    });
  });
}
