import { describe, inject, it } from 'vitest';
import { SKIP_VARIABLE, type Requirement } from './requirements.js';

/**
 * Suites that need a service, a Debian tool or a data set declare it here. They run always, unless
 * SWITCHBOARD_TEST_SKIP names what they need: then they are skipped and printed. A missing requirement
 * that is not named never gets here: the globalSetup (global-setup.ts) has stopped the run already.
 *
 * @example
 * describeNeeding('redis')('RedisHotStore', () => { ... });
 * itNeeding('ffmpeg')('decodes an M4A', async () => { ... });
 */

/** The requirements among `needs` that SWITCHBOARD_TEST_SKIP named (none when the globalSetup did not run). */
export function skippedOf(needs: readonly Requirement[]): Requirement[] {
  const skipped = inject('switchboardTests')?.skipped ?? [];
  return needs.filter((need) => skipped.includes(need));
}

/** Whether anything among `needs` is skipped (for a beforeAll that prepares what the skipped suites use). */
export function isSkipped(...needs: Requirement[]): boolean {
  return skippedOf(needs).length > 0;
}

function report(kind: 'suite' | 'test', name: string, skipped: Requirement[]): void {
  console.warn(`[${SKIP_VARIABLE}] skipped ${kind} "${name}" (needs ${skipped.join(', ')})`);
}

/** `describe`, skipped (and printed) when SWITCHBOARD_TEST_SKIP names one of `needs`. */
export function describeNeeding(...needs: Requirement[]) {
  return (name: string, body: () => void): void => {
    const skipped = skippedOf(needs);
    if (skipped.length === 0) return void describe(name, body);
    report('suite', name, skipped);
    // The reason stays in the name, so every reporter prints why it did not run.
    describe.skip(`${name} [skipped: ${SKIP_VARIABLE} names ${skipped.join(', ')}]`, body);
  };
}

/** `it`, skipped (and printed) when SWITCHBOARD_TEST_SKIP names one of `needs`. */
export function itNeeding(...needs: Requirement[]) {
  return (name: string, body: () => unknown, timeout?: number): void => {
    const skipped = skippedOf(needs);
    if (skipped.length === 0) return void it(name, body, timeout);
    report('test', name, skipped);
    it.skip(`${name} [skipped: ${SKIP_VARIABLE} names ${skipped.join(', ')}]`, body, timeout);
  };
}
