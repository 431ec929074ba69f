import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError, SystemClock } from '../../core/index.js';
import { openStores } from '../../store/index.js';
import { freePort } from '../support/private-servers.js';

/** A store that is not there at start: the operator is told which one, the setting, and what to do. */
describe('opening stores that cannot be reached', () => {
  it('names PostgreSQL, its address and DATABASE_URL, without the password', async () => {
    const port = await freePort();
    const error = await openStores(
      { databaseUrl: `postgres://app:s3cret-pw@127.0.0.1:${port}/app`, databasePoolSize: 2, redisUrl: undefined, dataDir: mkdtempSync(path.join(tmpdir(), 'sb-')) },
      new SystemClock(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ store: 'durable' });
    expect((error as Error).message).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${port}/app (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}. Start it, or unset DATABASE_URL to use the embedded database.`,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('names Redis and REDIS_URL, and releases the embedded database it had opened', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-'));
    const config = { databaseUrl: undefined, databasePoolSize: 2, redisUrl: `redis://:s3cret-pw@127.0.0.1:${port}`, dataDir };
    const error = await openStores(config, new SystemClock()).catch((e: unknown) => e);
    expect(error).toMatchObject({ store: 'hot' });
    expect((error as Error).message).toBe(
      `Cannot reach Redis at 127.0.0.1:${port} (REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}. Start it, or unset REDIS_URL to use the in-process hot tier (one instance only).`,
    );
    // The data folder is free again: opening it without Redis works.
    const stores = await openStores({ ...config, redisUrl: undefined }, new SystemClock());
    await stores.close();
  });
});
