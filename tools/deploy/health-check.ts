import { minimalEnv, runCommand } from '../build/index.js';
import type { HealthCheck } from './deploy-provider.js';

export const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;
const RETRY_EVERY_MS = 200;

export type HealthOutcome = { ok: true } | { ok: false; reason: string } | { ok: false; aborted: true; reason: string };

/**
 * A URL check retries until a 2xx or the time limit (a server that is restarting gets its seconds);
 * a command check runs once and must exit 0 within the limit. Never throws.
 *
 * The reason names what the server last said. The final attempt often starts with only a few
 * milliseconds of the limit left; its being cut off says nothing about the server, so it does not
 * replace what an earlier attempt learnt ("answered 503" stays, rather than "did not answer").
 */
export async function runHealthCheck(check: HealthCheck, options: { signal: AbortSignal; cwd: string }): Promise<HealthOutcome> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  if (check.url) {
    const deadline = Date.now() + timeoutMs;
    let reason: string | undefined;
    for (;;) {
      if (options.signal.aborted) return { ok: false, aborted: true, reason: 'cancelled' };
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, reason: `${check.url} ${reason ?? 'did not answer'} within ${timeoutMs} ms` };
      try {
        const response = await fetch(check.url, {
          signal: AbortSignal.any([options.signal, AbortSignal.timeout(left)]),
          redirect: 'manual',
          headers: { 'user-agent': 'switchboard-health-check' },
        });
        await response.body?.cancel();
        if (response.status >= 200 && response.status < 300) return { ok: true };
        reason = `answered ${response.status}`;
      } catch (error) {
        if (options.signal.aborted) return { ok: false, aborted: true, reason: 'cancelled' };
        const cause = (error as { cause?: { code?: string } }).cause;
        const cutByLimit = (error as Error).name === 'TimeoutError';
        if (!(cutByLimit && reason)) reason = cause?.code === 'ECONNREFUSED' ? 'refused connections' : 'did not answer';
      }
      await new Promise((r) => setTimeout(r, Math.min(RETRY_EVERY_MS, Math.max(0, deadline - Date.now()))));
    }
  }
  if (check.command) {
    const outcome = await runCommand(check.command, {
      cwd: options.cwd,
      env: minimalEnv(),
      signal: options.signal,
      timeoutMs,
      maxOutputBytes: 64 * 1024,
      keepLines: 3,
    });
    if (outcome.kind === 'aborted') return { ok: false, aborted: true, reason: 'cancelled' };
    if (outcome.kind === 'timeout') return { ok: false, reason: `the check command did not finish within ${timeoutMs} ms` };
    if (outcome.kind === 'output_too_large') return { ok: false, reason: 'the check command printed too much' };
    if (outcome.exitCode !== 0) {
      const last = outcome.lastLines[outcome.lastLines.length - 1];
      return { ok: false, reason: `the check command exited with code ${outcome.exitCode}${last ? `: ${last}` : ''}` };
    }
    return { ok: true };
  }
  return { ok: true };
}
