import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { PgDatabase, type Database } from './database.js';

export interface OpenEmbeddedOptions {
  /** Folder for the database files, or undefined for an in-memory database (tests). */
  directory: string | undefined;
  poolSize?: number;
}

/**
 * Starts PGlite in this process and serves it on a loopback port through pglite-socket, so the
 * application talks to it with the same `pg` driver and SQL as to a real PostgreSQL server.
 * Only one process may open a PGlite folder; callers hold the data-dir lock first.
 */
export async function openEmbedded(options: OpenEmbeddedOptions): Promise<Database> {
  if (options.directory) mkdirSync(options.directory, { recursive: true });
  const pglite = await PGlite.create(options.directory ?? 'memory://');
  const poolSize = options.poolSize ?? 10;
  // pglite-socket drops connections beyond maxConnections (default 1), so size it to the pool.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: poolSize + 2 });
  await server.start();
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres`,
    max: poolSize,
  });
  pool.on('error', () => {});
  const description = options.directory
    ? `embedded PostgreSQL (PGlite) in ${displayPath(options.directory)}`
    : 'embedded PostgreSQL (PGlite) in memory';
  return new PgDatabase('embedded', description, pool, async () => {
    await server.stop();
    await pglite.close();
  });
}

/** Relative to the working directory when inside it (./data/pg), absolute otherwise. */
function displayPath(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : directory;
}
