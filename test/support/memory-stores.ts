import type { Clock } from '../../core/clock.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { embeddedTestDatabase } from './services.js';

/** Stores for tests without services: a migrated in-memory PGlite and the in-process hot tier. */
export async function memoryStores(clock: Clock): Promise<Stores> {
  const t = await embeddedTestDatabase();
  const hot = new MemoryHotStore(clock);
  return {
    db: t.db,
    hot,
    dataDirLock: undefined,
    async close() {
      await hot.close();
      await t.close();
    },
  };
}
