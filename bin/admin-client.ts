import type { AdminCommandName } from '../bot/index.js';
import { SystemClock } from '../core/clock.js';
import { SwitchboardError } from '../core/errors.js';
import path from 'node:path';

import { secretsOf } from '../config/index.js';
import type { CliContext } from './cli-context.js';

export class ServiceUnreachableError extends SwitchboardError {
  readonly code = 'service_unreachable';
}

/**
 * Runs a store command where the store can be opened safely. With DATABASE_URL, directly. With the
 * embedded database: if a service holds the data folder, through that service's admin API (using
 * the token it left in the data folder's lock file); otherwise by opening the folder here, under
 * the same lock, so two processes never open it at once.
 */
export async function runStoreCommand(context: CliContext, name: AdminCommandName, args: Record<string, unknown>): Promise<unknown> {
  const { config } = context;
  // Loaded here, not at the top: `switchboard --help` should not wait for the bot and stores to load.
  const [{ createAdminDeps, runAdminCommand }, { openStores, readDataDirLock }] = await Promise.all([
    import('../bot/index.js'),
    import('../store/index.js'),
  ]);
  if (!config.databaseUrl) {
    const holder = readDataDirLock(config.dataDir);
    if (holder) {
      if (!holder.url) {
        throw new ServiceUnreachableError('The Switchboard service is starting up and holds the database; try again in a few seconds.');
      }
      return callService(holder.url, holder.adminToken, name, args);
    }
    // Nobody holds this folder, so the command opens it here. Say which one: a service started
    // with another DATA_DIR (or from another folder) keeps its own database, and a change made
    // here would otherwise seem to vanish.
    const other = (await answers(config.serviceUrl)) ? `; the service at ${config.serviceUrl} uses another data folder` : '';
    context.stderr.write(`using the embedded database in ${shown(path.join(config.dataDir, 'pg'))} (no service is running on it${other})\n`);
  }
  const clock = new SystemClock();
  const stores = await openStores(config, clock);
  try {
    return await runAdminCommand(createAdminDeps(stores.db, clock, secretsOf(config), config.crm), name, args);
  } finally {
    await stores.close();
  }
}

/** A quick probe: a refused connection answers at once; a hung one is not worth waiting for here. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(500) });
    return response.ok;
  } catch {
    return false;
  }
}

function shown(folder: string): string {
  const relative = path.relative(process.cwd(), folder);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : folder;
}

async function callService(url: string, token: string, name: string, args: Record<string, unknown>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${url}/api/admin/commands/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(args),
    });
  } catch (error) {
    throw new ServiceUnreachableError(
      `The running Switchboard service holds the database but does not answer at ${url}: ${(error as Error).message}. ` +
        'If it has hung, stop it and run the command again.',
      { cause: error },
    );
  }
  const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: { message?: string } };
  if (!response.ok) throw new RemoteCommandError(body.error?.message ?? `the service answered ${response.status}`);
  return body.result;
}

export class RemoteCommandError extends SwitchboardError {
  readonly code = 'remote_command_failed';
}
