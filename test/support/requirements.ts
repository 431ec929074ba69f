import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * What the test suites need from the machine, how to tell whether it is there, and the command that
 * installs or starts it (the same commands as .ci/run). Read once by the vitest globalSetup
 * (test/support/global-setup.ts), which fails the whole run with one message when something is
 * missing, unless SWITCHBOARD_TEST_SKIP names it on purpose. No vitest import here: the globalSetup
 * runs outside the test workers.
 *
 * @example
 * const outcome = await checkRequirements(process.env);
 * if (outcome.missing.length) throw new Error(outcome.message);
 */

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const CHROMIUM = '/usr/bin/chromium';
export const CLINC150 = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'clinc150', 'data_full.json');

export const REQUIREMENTS = ['redis', 'postgres', 'browser', 'espeak-ng', 'opusenc', 'ffmpeg', 'clinc150', 'whatsapp-web.js'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

/** The variable that skips suites on purpose, e.g. SWITCHBOARD_TEST_SKIP=redis,postgres,browser. */
export const SKIP_VARIABLE = 'SWITCHBOARD_TEST_SKIP';

type Env = Record<string, string | undefined>;

interface Probe {
  /** What is missing, in words, when the probe fails. */
  missing(env: Env): string;
  /** The command that installs or starts it. */
  fix: string;
  present(env: Env): Promise<boolean>;
}

const runs = (command: string, args: string[]) => async () => {
  const probe = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return !probe.error && probe.status === 0;
};

const PROBES: Record<Requirement, Probe> = {
  redis: {
    missing: (env) => `Redis (nothing answers PING at ${redact(redisUrl(env))})`,
    fix: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no   (install: apt-get install redis-server)',
    present: (env) => redisAnswers(redisUrl(env)),
  },
  postgres: {
    missing: (env) => `PostgreSQL (no connection to ${redact(databaseUrl(env))})`,
    fix: 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start && createdb -h 127.0.0.1 -U postgres test   (install: apt-get install postgresql)',
    present: (env) => postgresAnswers(databaseUrl(env)),
  },
  browser: {
    missing: () => `Chromium (${CHROMIUM} not found)`,
    fix: 'apt-get install chromium',
    present: async () => existsSync(CHROMIUM),
  },
  'espeak-ng': {
    missing: () => 'espeak-ng (makes the real speech of the voice tests)',
    fix: 'apt-get install espeak-ng',
    present: runs('espeak-ng', ['--version']),
  },
  opusenc: {
    missing: () => 'opusenc (encodes OGG/Opus voice notes)',
    fix: 'apt-get install opus-tools',
    present: runs('opusenc', ['--version']),
  },
  ffmpeg: {
    missing: () => 'ffmpeg (decodes M4A, WebM and MP3 voice notes)',
    fix: 'apt-get install ffmpeg',
    present: runs('ffmpeg', ['-version']),
  },
  clinc150: {
    missing: () => `the CLINC150 data set (${CLINC150})`,
    fix: 'check out ../shared beside this repository (it holds data/clinc150/data_full.json)',
    present: async () => existsSync(CLINC150),
  },
  'whatsapp-web.js': {
    missing: () => 'the optional npm package whatsapp-web.js',
    fix: 'PUPPETEER_SKIP_DOWNLOAD=true npm ci   (without --omit=optional)',
    present: async () => {
      try {
        createRequire(import.meta.url).resolve('whatsapp-web.js');
        return true;
      } catch {
        return false;
      }
    },
  },
};

export function redisUrl(env: Env): string {
  return env.REDIS_URL || DEFAULT_REDIS_URL;
}

export function databaseUrl(env: Env): string {
  return env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** The requirements SWITCHBOARD_TEST_SKIP names; an unknown name throws (a typo must not skip nothing silently). */
export function skippedRequirements(env: Env): Requirement[] {
  const names = (env[SKIP_VARIABLE] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(REQUIREMENTS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`${SKIP_VARIABLE} names ${unknown.map((n) => `"${n}"`).join(', ')}, which the tests do not know. Known: ${REQUIREMENTS.join(', ')}.`);
  }
  return [...new Set(names)] as Requirement[];
}

export interface RequirementsOutcome {
  /** Requirements neither present nor skipped: the run must stop. */
  missing: Requirement[];
  /** Requirements skipped on purpose through SWITCHBOARD_TEST_SKIP. */
  skipped: Requirement[];
  /** The one message to show when `missing` is not empty. */
  message: string;
}

/** Probes every requirement that is not skipped, all at once. */
export async function checkRequirements(env: Env): Promise<RequirementsOutcome> {
  const skipped = skippedRequirements(env);
  const wanted = REQUIREMENTS.filter((r) => !skipped.includes(r));
  const present = await Promise.all(wanted.map((r) => PROBES[r].present(env).catch(() => false)));
  const missing = wanted.filter((_, i) => !present[i]);
  const message =
    missing.length === 0
      ? ''
      : [
          `The tests need what this machine does not have: ${missing.map((r) => PROBES[r].missing(env)).join('; ')}.`,
          'Install or start it:',
          ...missing.map((r) => `  ${r}: ${PROBES[r].fix}`),
          '(.ci/run does all of this on a fresh machine.)',
          `Or skip the suites that need it, on purpose: ${SKIP_VARIABLE}=${[...skipped, ...missing].join(',')} npm test`,
        ].join('\n');
  return { missing, skipped, message };
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 3_000, retryStrategy: () => null });
  redis.on('error', () => {}); // the failed connect() below says it
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A URL without its password, for the message. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}
