import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { SETTINGS, type SettingName, type Settings } from './settings.js';

/** The validated, typed configuration. Read once at start; passed down, never re-read. */
export interface Config {
  http: { port: number; host: string; maxBodyBytes: number };
  /** Absolute path of the data folder (embedded database, local files). */
  dataDir: string;
  logLevel: Settings['LOG_LEVEL'];
  /** Bearer token for the converse and admin APIs; without it, those APIs accept loopback only. */
  apiToken: string | undefined;
  /** Where the CLI finds a running service. */
  serviceUrl: string;
  defaultTimezone: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  turn: { lockTtlMs: number; lockWaitMs: number };
  /** App names for fuzzy matching and the tools. */
  apps: string[];
  /** Claude, when a key is set; otherwise understanding is offline only. */
  anthropic: { apiKey: string; baseUrl: string | undefined; model: string; timeoutMs: number; maxRetries: number } | undefined;
  /** When the hybrid understander asks Claude (see README, "Understanding"). */
  nlu: { claudeBelowConfidence: number; claudeAboveChars: number };
  agent: {
    /** How long a confirmation phrase stays valid. */
    confirmTtlMs: number;
    rolePolicyFile: string | undefined;
    /** The role of a web chat or terminal user the first time they write. */
    webchatDefaultRole: Settings['WEBCHAT_DEFAULT_ROLE'];
  };
}

/**
 * Validates every setting at once. A bad or missing value throws a ConfigError whose message
 * lists every problem with its fix.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: ConfigProblem[] = [];
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [name, { schema, fix }] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const raw = env[name];
    const parsed = schema.safeParse(raw === undefined || raw.trim() === '' ? undefined : raw.trim());
    if (parsed.success) values[name] = parsed.data;
    else problems.push({ variable: name, problem: describe(parsed.error.issues[0]?.message, raw), fix });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const s = values as Settings;
  const connectHost = s.HOST === '0.0.0.0' || s.HOST === '::' ? '127.0.0.1' : s.HOST;
  return {
    http: { port: s.PORT, host: s.HOST, maxBodyBytes: s.MAX_BODY_BYTES },
    dataDir: path.resolve(cwd, s.DATA_DIR),
    logLevel: s.LOG_LEVEL,
    apiToken: s.SWITCHBOARD_API_TOKEN,
    serviceUrl: s.SWITCHBOARD_URL ?? `http://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${s.PORT}`,
    defaultTimezone: s.DEFAULT_TIMEZONE,
    databaseUrl: s.DATABASE_URL,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    redisUrl: s.REDIS_URL,
    turn: { lockTtlMs: s.TURN_LOCK_TTL_MS, lockWaitMs: s.TURN_LOCK_WAIT_MS },
    apps: s.APPS,
    anthropic: s.ANTHROPIC_API_KEY
      ? {
          apiKey: s.ANTHROPIC_API_KEY,
          baseUrl: s.ANTHROPIC_BASE_URL,
          model: s.ANTHROPIC_MODEL,
          timeoutMs: s.ANTHROPIC_TIMEOUT_MS,
          maxRetries: s.ANTHROPIC_MAX_RETRIES,
        }
      : undefined,
    nlu: { claudeBelowConfidence: s.NLU_CLAUDE_BELOW_CONFIDENCE, claudeAboveChars: s.NLU_CLAUDE_ABOVE_CHARS },
    agent: {
      confirmTtlMs: s.CONFIRM_TTL_MS,
      rolePolicyFile: s.ROLE_POLICY_FILE === undefined ? undefined : path.resolve(cwd, s.ROLE_POLICY_FILE),
      webchatDefaultRole: s.WEBCHAT_DEFAULT_ROLE,
    },
  };
}

function describe(message: string | undefined, raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'is required';
  // Never echo the value: it may be a secret.
  return message && !message.startsWith('Invalid input') ? message : 'has an invalid value';
}

/** Values to scrub from logs and model input: every credential in the config. */
export function secretsOf(config: Config): string[] {
  const secrets = [config.apiToken, config.anthropic?.apiKey];
  for (const url of [config.databaseUrl, config.redisUrl]) {
    if (!url) continue;
    try {
      const password = new URL(url).password;
      if (password) secrets.push(decodeURIComponent(password));
    } catch {
      // validated already
    }
  }
  return secrets.filter((s): s is string => Boolean(s));
}

/** Loads `.env` from the working directory into process.env (existing variables win). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
