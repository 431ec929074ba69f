import { existsSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { Role } from '../core/index.js';
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
  /** Statements with parameters are prepared once per connection (false behind a transaction-mode pooler). */
  databasePreparedStatements: boolean;
  redisUrl: string | undefined;
  turn: { lockTtlMs: number; lockWaitMs: number };
  /** App names from APPS (its sample names when unset); the app catalog (tools/apps) merges them with the file. */
  apps: string[];
  /** Whether APPS was set. When it was not and the catalog file exists, the file alone names the apps. */
  appsFromSetting: boolean;
  /** The app catalog file: APPS_FILE, or DATA_DIR/apps.json (which may not exist yet). */
  appsFile: { path: string; fromSetting: boolean };
  /** Claude, when a key is set; otherwise understanding is offline only. */
  anthropic: { apiKey: string; baseUrl: string | undefined; model: string; timeoutMs: number; maxRetries: number } | undefined;
  /** When the hybrid understander asks Claude (see README, "Understanding"). */
  nlu: { claudeBelowConfidence: number; claudeAboveChars: number };
  /** The public https address of the service, for registering webhooks. */
  publicUrl: string | undefined;
  /** Each channel is configured (and starts) only when its credentials are set. */
  slack: { botToken: string; signingSecret: string; appToken: string | undefined; apiUrl: string | undefined } | undefined;
  telegram: { botToken: string; webhookSecret: string | undefined; apiRoot: string | undefined; mode: 'webhook' | 'polling' } | undefined;
  whatsapp:
    | {
        accessToken: string;
        appSecret: string;
        verifyToken: string;
        phoneNumberId: string;
        graphUrl: string;
        apiVersion: string;
        template: { name: string; language: string } | undefined;
      }
    | undefined;
  whatsappWeb: { sessionDir: string } | undefined;
  /** Hosted build and deploy providers (tools/build, tools/deploy); without a token, apps using them are refused. */
  github: { token: string | undefined; apiUrl: string };
  vercel: { token: string | undefined; apiUrl: string };
  /**
   * Domain availability and registration (tools/domains): RDAP through IANA's bootstrap (or one RDAP_URL),
   * and the registrar that sells names: Porkbun, or the sandbox (records in the store, nothing bought).
   */
  rdap: { bootstrapUrl: string; url: string | undefined };
  registrar: { kind: 'sandbox' } | { kind: 'porkbun'; apiUrl: string; apiKey: string; secretKey: string; orderTimeoutMs: number };
  /**
   * DNS records (tools/domains/dns): Cloudflare, or the sandbox (zones in the store, answered by a name
   * server on 127.0.0.1:`sandboxPort`, 0 = a free port chosen at start).
   */
  dns: { provider: 'cloudflare' | 'sandbox'; cloudflare: { token: string; apiUrl: string } | undefined; sandboxPort: number };
  /** The knowledge base (knowledge/): its documents (undefined: the sample set in knowledge/sample) and the answer threshold. */
  knowledge: { dir: string | undefined; minCoverage: number };
  rateLimit: { perUserPerMinute: number; perConversationPerMinute: number };
  /** Notifications one chat receives per minute. */
  notifyPerChatPerMinute: number;
  /** Voice notes: limits, and the transcription provider (undefined: transcription is off). */
  voice: {
    maxBytes: number;
    maxSeconds: number;
    transcriber: { kind: 'openai'; apiKey: string; baseUrl: string; model: string; chunkSeconds: number } | undefined;
  };
  /** The domain mapping watch (tools/domains): which servers it asks, for how long, how often. */
  domainWatch: { dnsServers: string[] | undefined; maxMs: number; firstIntervalMs: number; maxIntervalMs: number; queryTimeoutMs: number };
  /** Client conversations (bot/client): where a client books a call, if anywhere. */
  client: { bookingUrl: string | undefined };
  /** The CRM (tools/crm): the deal pipeline's stages in order (the last two close a deal) and the country of local phone numbers. */
  crm: { pipeline: string[]; defaultCountry: string };
  agent: {
    /** How long a confirmation phrase stays valid. */
    confirmTtlMs: number;
    rolePolicyFile: string | undefined;
    /**
     * The role of a web chat or terminal user the first time they write: WEBCHAT_DEFAULT_ROLE when set,
     * else `developer` on a loopback HOST (only this machine can reach it) and `unknown` (pairing) otherwise.
     */
    webchatDefaultRole: Role;
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
  if (problems.length === 0) problems.push(...crossChecks(values as Settings));
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
    databasePreparedStatements: s.DATABASE_PREPARED_STATEMENTS,
    redisUrl: s.REDIS_URL,
    turn: { lockTtlMs: s.TURN_LOCK_TTL_MS, lockWaitMs: s.TURN_LOCK_WAIT_MS },
    apps: s.APPS,
    appsFromSetting: Boolean(env.APPS?.trim()),
    appsFile: { path: path.resolve(cwd, s.APPS_FILE ?? path.join(s.DATA_DIR, 'apps.json')), fromSetting: s.APPS_FILE !== undefined },
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
    publicUrl: s.PUBLIC_URL,
    slack: s.SLACK_BOT_TOKEN
      ? { botToken: s.SLACK_BOT_TOKEN, signingSecret: s.SLACK_SIGNING_SECRET!, appToken: s.SLACK_APP_TOKEN, apiUrl: s.SLACK_API_URL }
      : undefined,
    telegram: s.TELEGRAM_BOT_TOKEN
      ? { botToken: s.TELEGRAM_BOT_TOKEN, webhookSecret: s.TELEGRAM_WEBHOOK_SECRET, apiRoot: s.TELEGRAM_API_ROOT, mode: s.TELEGRAM_MODE }
      : undefined,
    whatsapp: s.WHATSAPP_ACCESS_TOKEN
      ? {
          accessToken: s.WHATSAPP_ACCESS_TOKEN,
          appSecret: s.WHATSAPP_APP_SECRET!,
          verifyToken: s.WHATSAPP_VERIFY_TOKEN!,
          phoneNumberId: s.WHATSAPP_PHONE_NUMBER_ID!,
          graphUrl: s.WHATSAPP_GRAPH_URL,
          apiVersion: s.WHATSAPP_API_VERSION,
          template: s.WHATSAPP_TEMPLATE_NAME ? { name: s.WHATSAPP_TEMPLATE_NAME, language: s.WHATSAPP_TEMPLATE_LANGUAGE } : undefined,
        }
      : undefined,
    github: { token: s.GITHUB_TOKEN, apiUrl: s.GITHUB_API_URL },
    vercel: { token: s.VERCEL_TOKEN, apiUrl: s.VERCEL_API_URL },
    rdap: { bootstrapUrl: s.RDAP_BOOTSTRAP_URL, url: s.RDAP_URL },
    registrar:
      (s.REGISTRAR ?? (s.PORKBUN_API_KEY && s.PORKBUN_SECRET_KEY ? 'porkbun' : 'sandbox')) === 'porkbun'
        ? { kind: 'porkbun', apiUrl: s.PORKBUN_API_URL, apiKey: s.PORKBUN_API_KEY!, secretKey: s.PORKBUN_SECRET_KEY!, orderTimeoutMs: s.PORKBUN_ORDER_TIMEOUT_MS }
        : { kind: 'sandbox' },
    dns: {
      provider: s.DNS_PROVIDER ?? (s.CLOUDFLARE_API_TOKEN ? 'cloudflare' : 'sandbox'),
      cloudflare: s.CLOUDFLARE_API_TOKEN ? { token: s.CLOUDFLARE_API_TOKEN, apiUrl: s.CLOUDFLARE_API_URL } : undefined,
      sandboxPort: s.SANDBOX_DNS_PORT,
    },
    whatsappWeb: s.WHATSAPP_WEB_ENABLED ? { sessionDir: path.resolve(cwd, s.WHATSAPP_WEB_SESSION_DIR ?? path.join(s.DATA_DIR, 'whatsapp-web')) } : undefined,
    voice: {
      maxBytes: s.MEDIA_MAX_BYTES,
      maxSeconds: s.MEDIA_MAX_SECONDS,
      transcriber:
        (s.TRANSCRIBER ?? (s.OPENAI_API_KEY ? 'openai' : 'none')) === 'openai'
          ? { kind: 'openai', apiKey: s.OPENAI_API_KEY!, baseUrl: s.OPENAI_BASE_URL, model: s.OPENAI_TRANSCRIBE_MODEL, chunkSeconds: s.TRANSCRIBE_CHUNK_SECONDS }
          : undefined,
    },
    knowledge: { dir: s.KNOWLEDGE_DIR === undefined ? undefined : path.resolve(cwd, s.KNOWLEDGE_DIR), minCoverage: s.KNOWLEDGE_MIN_COVERAGE },
    rateLimit: { perUserPerMinute: s.RATE_LIMIT_PER_USER_PER_MINUTE, perConversationPerMinute: s.RATE_LIMIT_PER_CONVERSATION_PER_MINUTE },
    notifyPerChatPerMinute: s.NOTIFY_PER_CHAT_PER_MINUTE,
    domainWatch: {
      dnsServers: s.DNS_SERVERS,
      maxMs: s.DOMAIN_WATCH_MAX_MS,
      firstIntervalMs: s.DOMAIN_WATCH_FIRST_MS,
      maxIntervalMs: s.DOMAIN_WATCH_INTERVAL_MAX_MS,
      queryTimeoutMs: s.DNS_QUERY_TIMEOUT_MS,
    },
    client: { bookingUrl: s.BOOKING_URL },
    crm: { pipeline: s.CRM_PIPELINE, defaultCountry: s.CRM_DEFAULT_COUNTRY },
    agent: {
      confirmTtlMs: s.CONFIRM_TTL_MS,
      rolePolicyFile: s.ROLE_POLICY_FILE === undefined ? undefined : path.resolve(cwd, s.ROLE_POLICY_FILE),
      webchatDefaultRole: s.WEBCHAT_DEFAULT_ROLE ?? (isLoopback(s.HOST) ? 'developer' : 'unknown'),
    },
  };
}

// Loopback: 127.0.0.0/8 and ::1 (also written as an IPv4-mapped IPv6 address), through node's own matcher.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether HOST binds only this machine's loopback interface (`localhost` included). */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Settings that only make sense together: a channel needs all of its credentials, or none. */
function crossChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const need = (when: boolean, variable: SettingName, why: string) => {
    if (when && !s[variable]) problems.push({ variable, problem: `is required ${why}`, fix: SETTINGS[variable].fix });
  };
  need(Boolean(s.SLACK_BOT_TOKEN), 'SLACK_SIGNING_SECRET', 'when SLACK_BOT_TOKEN is set (every Slack request is verified with it)');
  need(Boolean(s.SLACK_APP_TOKEN), 'SLACK_BOT_TOKEN', 'when SLACK_APP_TOKEN is set');
  for (const variable of ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const) {
    need(Boolean(s.WHATSAPP_ACCESS_TOKEN), variable, 'when WHATSAPP_ACCESS_TOKEN is set (the WhatsApp channel refuses to start without it)');
  }
  need(s.TRANSCRIBER === 'openai', 'OPENAI_API_KEY', 'when TRANSCRIBER=openai (use any string for a local server that ignores it)');
  for (const variable of ['PORKBUN_API_KEY', 'PORKBUN_SECRET_KEY'] as const) {
    need(s.REGISTRAR === 'porkbun' || Boolean(s.PORKBUN_API_KEY || s.PORKBUN_SECRET_KEY), variable, 'when REGISTRAR=porkbun or the other Porkbun key is set (Porkbun needs both)');
  }
  need(s.DNS_PROVIDER === 'cloudflare', 'CLOUDFLARE_API_TOKEN', 'when DNS_PROVIDER=cloudflare');
  if (s.WHATSAPP_WEB_ENABLED && s.WHATSAPP_ACCESS_TOKEN) {
    problems.push({
      variable: 'WHATSAPP_WEB_ENABLED',
      problem: 'cannot be true together with WHATSAPP_ACCESS_TOKEN (both would speak for the WhatsApp channel)',
      fix: 'use the Cloud API (unset WHATSAPP_WEB_ENABLED) or WhatsApp Web (unset WHATSAPP_ACCESS_TOKEN)',
    });
  }
  need(Boolean(s.TELEGRAM_BOT_TOKEN) && s.TELEGRAM_MODE === 'webhook', 'TELEGRAM_WEBHOOK_SECRET', 'for TELEGRAM_MODE=webhook (it proves a request comes from Telegram)');
  return problems;
}

function describe(message: string | undefined, raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'is required';
  // Never echo the value: it may be a secret.
  return message && !message.startsWith('Invalid input') ? message : 'has an invalid value';
}

/** Values to scrub from logs and model input: every credential in the config. */
export function secretsOf(config: Config): string[] {
  const secrets = [
    config.apiToken,
    config.anthropic?.apiKey,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.telegram?.botToken,
    config.telegram?.webhookSecret,
    config.whatsapp?.accessToken,
    config.whatsapp?.appSecret,
    config.whatsapp?.verifyToken,
    config.voice.transcriber?.apiKey,
    config.github.token,
    config.vercel.token,
    config.registrar.kind === 'porkbun' ? config.registrar.apiKey : undefined,
    config.registrar.kind === 'porkbun' ? config.registrar.secretKey : undefined,
    config.dns.cloudflare?.token,
  ];
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
