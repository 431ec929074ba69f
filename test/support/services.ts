import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openEmbedded } from '../../store/durable/open-embedded.js';
import { openPostgres } from '../../store/durable/open-postgres.js';
import { migrate } from '../../store/durable/migrations.js';
import type { Database } from '../../store/durable/database.js';
import { databaseUrl, redisUrl } from './requirements.js';

/**
 * Real services for the integration tier: REDIS_URL and DATABASE_URL, else Redis on 127.0.0.1:6379 and
 * PostgreSQL's `test` database on 127.0.0.1:5432. The globalSetup has checked they answer before any
 * test file runs (or SWITCHBOARD_TEST_SKIP skips the suites that need them: see needs.ts).
 */
const provided = (() => {
  try {
    return inject('switchboardTests');
  } catch {
    return undefined; // imported outside a vitest worker (a helper process a test spawns): the environment decides
  }
})();
export const DATABASE_URL: string = provided?.databaseUrl ?? databaseUrl(process.env);
export const REDIS_URL: string = provided?.redisUrl ?? redisUrl(process.env);

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  db: Database;
  /** The connection URL of this test's own database (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

/** A migrated in-memory PGlite served through pglite-socket, as the service runs it. */
export async function embeddedTestDatabase(): Promise<TestDatabase> {
  const db = await openEmbedded({ directory: undefined, poolSize: 5 });
  await migrate(db);
  return { db, close: () => db.close() };
}

/** A fresh database on the PostgreSQL server at DATABASE_URL, dropped on close. */
export async function postgresTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const empty = await createEmptyPostgresDatabase();
  const db = await openPostgres({ url: empty.url, poolSize: 5 });
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    url: empty.url,
    async close() {
      await db.close();
      await empty.drop();
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** A URL for a fresh, empty database on the server at DATABASE_URL, and how to drop it. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('sb_test');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}
