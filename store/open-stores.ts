import path from 'node:path';
import { StoreError, type Clock, type Logger } from '../core/index.js';
import type { Config } from '../config/index.js';
import { acquireDataDirLock, type DataDirLock } from './durable/data-dir-lock.js';
import { describePostgresUrl, type Database } from './durable/database.js';
import { migrate } from './durable/migrations.js';
import { openEmbedded } from './durable/open-embedded.js';
import { openPostgres } from './durable/open-postgres.js';
import type { HotStore } from './hot/hot-store.js';
import { MemoryHotStore } from './hot/memory-hot-store.js';
import { RedisHotStore } from './hot/redis-hot-store.js';
import { isStoreUnavailable } from './store-failures.js';

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
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'redisUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePreparedStatements'>>,
  clock: Clock,
  options: { redisPrefix?: string; logger?: Pick<Logger, 'warn' | 'info'> } = {},
): Promise<Stores> {
  let dataDirLock: DataDirLock | undefined;
  let db: Database | undefined;
  let hot: HotStore | undefined;
  try {
    if (config.databaseUrl) {
      const url = config.databaseUrl;
      db = await openPostgres({ url, poolSize: config.databasePoolSize, preparedStatements: config.databasePreparedStatements }).catch((error: unknown) => {
        throw atStart(error, 'durable', `${describePostgresUrl(url)} (DATABASE_URL)`, 'Start it, or unset DATABASE_URL to use the embedded database.');
      });
    } else {
      dataDirLock = acquireDataDirLock(config.dataDir);
      db = await openEmbedded({ directory: path.join(config.dataDir, 'pg'), poolSize: config.databasePoolSize, ...(options.logger ? { logger: options.logger } : {}) });
    }
    if (config.databaseUrl) {
      // Migrations run on a connection of their own without the statement timeout: a migration of a
      // large table, or the wait for another instance's migration lock, may take longer than a request.
      const migrator = await openPostgres({ url: config.databaseUrl, poolSize: 1, statementTimeoutMs: 0 });
      try {
        await migrate(migrator);
      } finally {
        await migrator.close();
      }
    } else {
      await migrate(db);
    }
    const redisUrl = config.redisUrl;
    hot = redisUrl
      ? await RedisHotStore.connect({ url: redisUrl, clock, ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}) }).catch((error: unknown) => {
          throw atStart(error, 'hot', `${describeRedisUrl(redisUrl)} (REDIS_URL)`, 'Start it, or unset REDIS_URL to use the in-process hot tier (one instance only).');
        })
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

/**
 * A store that cannot be reached at start: the operator reads this (stderr, the log), so it names the
 * store and the setting, never the credentials. Requests never see it: the service is not up yet.
 */
function atStart(error: unknown, store: 'durable' | 'hot', where: string, fix: string): unknown {
  if (!isStoreUnavailable(error)) return error;
  return new StoreError(`Cannot reach ${where}: ${innermostMessage(error)}. ${fix}`, { cause: error, store });
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = (current as { cause?: unknown; errors?: unknown[] }).errors?.[0] ?? (current as { cause?: unknown }).cause;
    if (!next) break;
    current = next;
  }
  return current instanceof Error && current.message ? current.message.replace(/\.+$/, '') : 'no answer';
}

function describeRedisUrl(url: string): string {
  const u = new URL(url);
  return `Redis at ${u.hostname}:${u.port || '6379'}`;
}
