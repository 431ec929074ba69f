import type { TestProject } from 'vitest/node';
import { checkRequirements, databaseUrl, redisUrl, SKIP_VARIABLE, type Requirement } from './requirements.js';

/** What the globalSetup hands every test file, read there with `inject('switchboardTests')` (see needs.ts). */
export interface SwitchboardTestContext {
  /** Requirements SWITCHBOARD_TEST_SKIP named: suites that need them are skipped, and say so. */
  skipped: Requirement[];
  /** The Redis and PostgreSQL the integration suites use (REDIS_URL/DATABASE_URL, else 127.0.0.1). */
  redisUrl: string;
  databaseUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    switchboardTests: SwitchboardTestContext;
  }
}

/**
 * Runs once per `vitest run`, before any test file: every service, Debian tool and data set the suites
 * need must be here, or the run stops now with one message naming what is missing and how to get it.
 * `npm test` therefore never passes by skipping; only SWITCHBOARD_TEST_SKIP skips, on purpose, loudly.
 */
export default async function setup(project: TestProject): Promise<void> {
  const outcome = await checkRequirements(process.env);
  if (outcome.missing.length > 0) {
    const error = new Error(outcome.message);
    error.stack = `Error: ${outcome.message}`; // the message is the whole story; a stack into this file would only hide it
    throw error;
  }
  if (outcome.skipped.length > 0) {
    console.warn(`[${SKIP_VARIABLE}] skipping on purpose every suite that needs: ${outcome.skipped.join(', ')}. Each skipped suite is named below.`);
  }
  project.provide('switchboardTests', { skipped: outcome.skipped, redisUrl: redisUrl(process.env), databaseUrl: databaseUrl(process.env) });
}
