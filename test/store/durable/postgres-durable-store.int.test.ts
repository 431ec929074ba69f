import { expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../store/durable/migrations.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase } from '../../support/services.js';
import { describeDurableStoreContract } from './durable-store.contract.js';

describeNeeding('postgres')('PostgreSQL', () => {
  describeDurableStoreContract('PostgreSQL server', () => postgresTestDatabase());

  it('serialises migrations started by two instances at once', async () => {
    const t = await postgresTestDatabase({ migrate: false });
    try {
      const [a, b] = await Promise.all([migrate(t.db), migrate(t.db)]);
      expect([...a, ...b].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await t.close();
    }
  });
});
