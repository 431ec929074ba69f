import type { App, AppCatalog } from '../apps/index.js';
import type { JobRecord, LockHolder } from '../jobs/index.js';
import type { Prepared } from '../tool-action.js';
import { formatMs } from './build-errors.js';

/**
 * Words shared by the build and deploy tool actions and the job-progress bridge: how a run is named
 * in a chat (`run #1a2b3c4d`, the prefix `switchboard runs show` accepts), durations, times, and the
 * SANDBOX label every reply about a sandbox app carries.
 */

/** The first characters of a job id: what `switchboard runs list` shows and `runs show <prefix>` accepts. */
export function runId(jobId: string): string {
  return `#${jobId.slice(0, 8)}`;
}

export function shortCommit(commit: string | undefined): string {
  return commit ? commit.slice(0, 7) : 'unknown commit';
}

export function duration(ms: number): string {
  return formatMs(Math.max(0, Math.round(ms)));
}

/** "14:02 UTC" today, else "5 Dec 14:02 UTC": short enough for a chat line, unambiguous across zones. */
export function when(at: number | Date, now: number, timezone = 'UTC'): string {
  const date = typeof at === 'number' ? new Date(at) : at;
  const sameDay = Math.abs(now - date.getTime()) < 20 * 3_600_000;
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: timezone, timeZoneName: 'short' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: timezone, timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat('en-GB', options).format(date);
  } catch {
    return date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  }
}

/** Every reply about an app without real providers starts with this, so nobody mistakes it for a real run. */
export const SANDBOX = 'SANDBOX: ';
export function sandboxLabel(sandbox: boolean): string {
  return sandbox ? SANDBOX : '';
}

/** The app a slot names (names and aliases were matched by the understanding; aliases are checked again here). */
export function resolveApp(catalog: AppCatalog, slot: string | undefined, question: string): { app: App } | Exclude<Prepared<never>, { ok: true }> {
  const names = catalog.names();
  if (!slot) return { ok: false, question: `${question}${names.length ? ` (${names.join(', ')})` : ''}`, slot: 'app' };
  const wanted = slot.trim().toLowerCase();
  const app = catalog.get(wanted) ?? catalog.list().find((a) => a.aliases.some((alias) => alias.toLowerCase() === wanted));
  if (!app) {
    return {
      ok: false,
      refusal: names.length
        ? `I don't know an app called "${slot}". The apps I know: ${names.join(', ')}.`
        : `I don't know an app called "${slot}", and no apps are set up yet (switchboard apps add, or switchboard demo init for a sample).`,
    };
  }
  return { app };
}

/** "Priya has been deploying a1b2c3d since 14:02 UTC (run #1a2b3c4d)". */
export function describeHolder(holder: LockHolder, now: number, timezone?: string): string {
  const who = holder.requesterName ?? (holder.requestedBy === 'cli' || holder.requestedBy === 'system' ? 'the command line' : 'someone');
  const what = holder.label ?? `running a ${holder.kind}`;
  const state = holder.status === 'queued' ? ' (queued)' : '';
  return `${who} has been ${what} since ${when(holder.since, now, timezone)} (run ${runId(holder.jobId)}${state})`;
}

/** The params every build/deploy job carries, read back from its record. */
export function jobApp(job: JobRecord): { app?: string; env?: string; ref?: string; sandbox?: boolean } {
  const p = (job.params ?? {}) as Record<string, unknown>;
  return {
    ...(typeof p.app === 'string' ? { app: p.app } : {}),
    ...(typeof p.env === 'string' ? { env: p.env } : {}),
    ...(typeof p.ref === 'string' ? { ref: p.ref } : {}),
    ...(p.sandbox === true ? { sandbox: true } : {}),
  };
}
