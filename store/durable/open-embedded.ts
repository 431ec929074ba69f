import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../core/index.js';
import { PgDatabase, type Database } from './database.js';
import { defaultTemplatePath, discardTemplate, readTemplate, saveTemplate } from './embedded-template.js';
import { PgliteThread } from './pglite-thread.js';

export interface OpenEmbeddedOptions {
  /** Folder for the database files, or undefined for an in-memory database (tests). */
  directory: string | undefined;
  /**
   * Ignored: the embedded database is always served over ONE connection (see openEmbedded). Kept so
   * callers can pass the same options as to openPostgres.
   */
  poolSize?: number;
  /**
   * The file a new database is copied from, and made from the first one that runs initdb
   * (embedded-template.ts); false: always run initdb and keep no template. Default: the project's
   * node_modules/.cache/switchboard.
   */
  template?: string | false;
  /** Told when the database's thread ends unasked and when it is back (nothing else is logged here). */
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** Makes the database's thread (tests of its recovery keep a handle on it). */
  thread?: () => PgliteThread;
}

/** How the database came to be: resumed from its folder, copied from the template, or made by initdb. */
export type EmbeddedOrigin = 'existing' | 'template' | 'initdb';

/** PostgreSQL's buffer pool in the embedded database (see openEmbedded). */
export const EMBEDDED_SHARED_BUFFERS = '32MB';

/**
 * Starts PGlite in a thread of this process (pglite-thread.ts) and serves it on a loopback port through
 * pglite-socket, so the application talks to it with the same `pg` driver and SQL as to a real
 * PostgreSQL server. Only one process may open a PGlite folder; callers hold the data-dir lock first.
 *
 * ONE pg connection, never more. PGlite is a single PostgreSQL session: pglite-socket forwards each
 * protocol message of every connection to it one at a time, so with several connections the
 * Parse/Bind/Execute of one query interleave with another's (`portal "" does not exist`, `bind
 * message supplies 5 parameters…`, and rows written with another query's parameters: messages stored
 * under the wrong person). With one connection pg-pool queues queries in front of PGlite, in order.
 * PGlite runs one statement at a time anyway, so this costs little. Measured on a busy 2-core machine
 * with 20 concurrent workers: single statements, 10 connections 610-800/s, one connection 490-740/s
 * (within the noise); inserts mixed with transactions, 10 connections failed within the first
 * hundred (`portal "" does not exist`) while one connection did 611/s with no error.
 */
export async function openEmbedded(options: OpenEmbeddedOptions): Promise<Database> {
  if (options.directory) mkdirSync(options.directory, { recursive: true });
  const newThread = options.thread ?? (() => new PgliteThread());
  let thread = newThread();
  let origin: EmbeddedOrigin;
  let address: string;
  try {
    origin = await startPglite(thread, options);
    address = await thread.request<string>('serve', { host: '127.0.0.1' });
  } catch (error) {
    await thread.close().catch(() => {});
    throw error;
  }
  let closed = false;
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  // A thread that ends unasked (PGlite's WebAssembly aborted) is started again on the same folder and
  // the same port, so the pool's next connection finds it: until then queries fail as the store being
  // away (503, /ready says so), and recovery needs nobody. An in-memory database has nothing to resume.
  const restart = async (directory: string) => {
    if (closed) return;
    options.logger?.warn({ directory: displayPath(directory) }, 'the embedded database stopped unexpectedly; starting it again');
    for (let attempt = 1; !closed; attempt++) {
      const next = newThread();
      try {
        await next.open({ dataDir: directory, settings: PGLITE_SETTINGS });
        await next.request('serve', { host: '127.0.0.1', port });
        if (closed) return void (await next.close().catch(() => {}));
        thread = next;
        supervise(next);
        options.logger?.info({ directory: displayPath(directory), attempt }, 'the embedded database is back');
        return;
      } catch (error) {
        options.logger?.warn({ err: error, attempt }, 'the embedded database could not be started again; retrying');
        await next.close().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 250, 5_000)));
      }
    }
  };
  const supervise = (watched: PgliteThread) => {
    const directory = options.directory;
    if (directory) void watched.ended.then(() => restart(directory));
  };
  supervise(thread);
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@${address}/postgres`,
    max: 1,
    // Every query of the process waits its turn for the one connection: under a burst that queue can
    // be long, and PGlite cannot hang apart from this process, so the bound is generous.
    connectionTimeoutMillis: 30_000,
    // PGlite is ONE PostgreSQL session behind every pg connection, so the statements a replaced
    // connection prepared outlive it, and the new connection's first prepare of the same name would
    // fail ("prepared statement "sb_1" already exists"). A new connection starts by forgetting them:
    // pg-pool awaits this before it hands the connection out (a query sent from the 'connect' event
    // instead was queued beside the first real one, which pg deprecates).
    onConnect: async (client) => {
      await client.query('DEALLOCATE ALL');
    },
  });
  const where = options.directory ? `in ${displayPath(options.directory)}` : 'in memory';
  const description = `embedded PostgreSQL (PGlite) ${where}${ORIGIN_NOTE[origin]}`;
  return new PgDatabase(
    'embedded',
    description,
    pool,
    async () => {
      closed = true;
      await thread.close();
    },
    // Prepared statements (database.ts StatementNames) save PGlite's parse and plan, in WebAssembly:
    // bench:telegram on the embedded store, 71 → 100-103 turns/s, 18.9 → 14.6-15.2 ms of CPU per turn.
    { preparedStatements: true },
  );
}

const ORIGIN_NOTE: Record<EmbeddedOrigin, string> = {
  existing: '',
  template: ', new (copied from the template)',
  initdb: ', new (initialised)',
};

/**
 * Opens the folder's database, or makes a new one: from the template when there is one (0.7 s instead
 * of initdb's 3.5 s), else by initdb, whose result then becomes the template. A template PGlite cannot
 * load is discarded and the database is made by initdb instead. The template is used only for a folder
 * that is missing or empty, so nothing of the user's is ever overwritten or removed.
 */
async function startPglite(thread: PgliteThread, options: OpenEmbeddedOptions): Promise<EmbeddedOrigin> {
  const open = { dataDir: options.directory ?? 'memory://', settings: PGLITE_SETTINGS };
  const templateFile = options.template === false ? undefined : (options.template ?? defaultTemplatePath());
  const fresh = !options.directory || readdirSync(options.directory).length === 0;
  const template = fresh && templateFile ? readTemplate(templateFile) : undefined;
  if (template && templateFile) {
    try {
      // Transferred, not copied: the thread owns the template's 40 MB from here on.
      await thread.open({ ...open, template });
      return 'template';
    } catch {
      discardTemplate(templateFile);
      if (options.directory) emptyFolder(options.directory);
    }
  }
  const existed = options.directory !== undefined && existsSync(path.join(options.directory, 'PG_VERSION'));
  await thread.open(open);
  if (existed) return 'existing';
  if (fresh && templateFile) await saveTemplate(() => thread.request<Uint8Array>('dump'), templateFile);
  return 'initdb';
}

/** PostgreSQL settings of the embedded database (`-c name=value` at its start). */
const PGLITE_SETTINGS: Record<string, string> = {
  // PostgreSQL's buffer pool lives in PGlite's WebAssembly memory, which only grows: at the default
  // 128 MB it filled as conversations were added (bench:memory, 3,000 conversations: +235 MB RSS).
  // A smaller pool bounds that; pages it does not hold are still read through the OS page cache.
  shared_buffers: EMBEDDED_SHARED_BUFFERS,
};

/** Removes what a failed load left in a folder that was empty before it. */
function emptyFolder(directory: string): void {
  for (const name of readdirSync(directory)) rmSync(path.join(directory, name), { recursive: true, force: true });
}

/** Relative to the working directory when inside it (./data/pg), absolute otherwise. */
function displayPath(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : directory;
}
