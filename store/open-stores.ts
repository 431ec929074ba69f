import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/index.js';
import { acquireDataDirLock, type DataDirLock } from './durable/data-dir-lock.js';
import type { Database } from './durable/database.js';
import { migrate } from './durable/migrations.js';
import { openEmbedded } from './durable/open-embedded.js';
import { openPostgres } from './durable/open-postgres.js';
import type { HotStore } from './hot/hot-store.js';
import { MemoryHotStore } from './hot/memory-hot-store.js';
import { RedisHotStore } from './hot/redis-hot-store.js';

export interface Stores {
  db: Database;
  hot: HotStore;
  /** Held while the embedded database is open; absent with DATABASE_URL. */
  dataDirLock: DataDirLock | undefined;
  close(): Promise<void>;
}

/**
 * Opens the durable and hot stores the config asks for and runs pending migrations:
 * DATABASE_URL → PostgreSQL, otherwise embedded PGlite under DATA_DIR/pg (after taking the data-dir lock);
 * REDIS_URL → Redis, otherwise the in-process hot tier.
 */
export async function openStores(
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'redisUrl' | 'dataDir'>,
  clock: Clock,
  options: { redisPrefix?: string } = {},
): Promise<Stores> {
  let dataDirLock: DataDirLock | undefined;
  let db: Database | undefined;
  let hot: HotStore | undefined;
  try {
    if (config.databaseUrl) {
      db = await openPostgres({ url: config.databaseUrl, poolSize: config.databasePoolSize });
    } else {
      dataDirLock = acquireDataDirLock(config.dataDir);
      db = await openEmbedded({ directory: path.join(config.dataDir, 'pg'), poolSize: config.databasePoolSize });
    }
    await migrate(db);
    hot = config.redisUrl
      ? await RedisHotStore.connect({ url: config.redisUrl, clock, ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}) })
      : new MemoryHotStore(clock);
  } catch (error) {
    await db?.close().catch(() => {});
    dataDirLock?.release();
    throw error;
  }
  const opened = { db, hot };
  return {
    ...opened,
    dataDirLock,
    async close() {
      await opened.hot.close().catch(() => {});
      await opened.db.close().catch(() => {});
      dataDirLock?.release();
    },
  };
}
