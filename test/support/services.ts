import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openEmbedded } from '../../store/durable/open-embedded.js';
import { openPostgres } from '../../store/durable/open-postgres.js';
import { migrate } from '../../store/durable/migrations.js';
import type { Database } from '../../store/durable/database.js';

/**
 * Real services for the integration tier. `npm test` expects REDIS_URL and DATABASE_URL (CI sets
 * them); without them the integration suites say so and do not run.
 */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const REDIS_URL = process.env.REDIS_URL || undefined;

const warned = new Set<string>();
export function serviceMissing(variable: 'DATABASE_URL' | 'REDIS_URL'): boolean {
  const missing = !process.env[variable];
  if (missing && !warned.has(variable)) {
    warned.add(variable);
    console.warn(`[integration tier] ${variable} is not set: its suites are not run. Set it to a real server (see README).`);
  }
  return missing;
}

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
  if (!DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const name = uniqueName('sb_test');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}
