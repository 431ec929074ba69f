import { expect, it } from 'vitest';
import { openPostgres } from '../../../store/durable/open-postgres.js';
import { describeNeeding } from '../../support/needs.js';
import { createEmptyPostgresDatabase } from '../../support/services.js';
import { describePreparedStatements } from './prepared-statements.contract.js';

describeNeeding('postgres')('PostgreSQL', () => {
  describePreparedStatements('PostgreSQL server, one connection', async () => {
    const empty = await createEmptyPostgresDatabase();
    const db = await openPostgres({ url: empty.url, poolSize: 1 });
    return {
      db,
      async close() {
        await db.close();
        await empty.drop();
      },
    };
  });
});

describeNeeding('postgres')('PostgreSQL with DATABASE_PREPARED_STATEMENTS=false', () => {
  it('prepares nothing (for a pooler in transaction mode)', async () => {
    const empty = await createEmptyPostgresDatabase();
    const db = await openPostgres({ url: empty.url, poolSize: 1, preparedStatements: false });
    try {
      for (const n of [1, 2]) expect((await db.query<{ n: number }>('SELECT $1::int AS n', [n])).rows).toEqual([{ n }]);
      expect((await db.query('SELECT name FROM pg_prepared_statements')).rows).toEqual([]);
    } finally {
      await db.close();
      await empty.drop();
    }
  });
});
