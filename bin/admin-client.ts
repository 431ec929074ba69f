import { createAdminDeps, runAdminCommand, type AdminCommandName } from '../bot/index.js';
import { SystemClock } from '../core/clock.js';
import { SwitchboardError } from '../core/errors.js';
import { openStores, readDataDirLock } from '../store/index.js';
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
  if (!config.databaseUrl) {
    const holder = readDataDirLock(config.dataDir);
    if (holder) {
      if (!holder.url) {
        throw new ServiceUnreachableError('The Switchboard service is starting up and holds the database; try again in a few seconds.');
      }
      return callService(holder.url, holder.adminToken, name, args);
    }
  }
  const clock = new SystemClock();
  const stores = await openStores(config, clock);
  try {
    return await runAdminCommand(createAdminDeps(stores.db, clock, secretsOf(config)), name, args);
  } finally {
    await stores.close();
  }
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
