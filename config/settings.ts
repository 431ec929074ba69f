import { isIP } from 'node:net';
import { z } from 'zod';
import { ROLES } from '../core/index.js';

/**
 * Every environment variable Switchboard reads, in one table: its schema and the one-line fix shown
 * when it is wrong. `.env.example` lists the same names (a test keeps the two in step).
 * Empty strings count as unset, so `FOO=` in a .env file means "use the default".
 */
interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  fix: string;
}

const setting = <S extends z.ZodType>(schema: S, fix: string): Setting<S> => ({ schema, fix });

const port = z.coerce.number().int().min(0).max(65535);
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
const httpUrl = url(['http:', 'https:']);
const positiveMs = z.coerce.number().int().positive();
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** `192.0.2.53`, `127.0.0.1:5353`, `2001:db8::53` or `[2001:db8::53]:53`: what node's dns `setServers` takes. */
function isServerAddress(value: string): boolean {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(value);
  const plain = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(value);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : plain ? [plain[1]!, plain[2]] : [value, undefined];
  if (portText !== undefined && (Number(portText) < 1 || Number(portText) > 65_535)) return false;
  return isIP(host) !== 0;
}

export const SETTINGS = {
  // --- service ---
  PORT: setting(port.default(3000), 'a port number between 1 and 65535 (0 picks a free one), e.g. PORT=3000'),
  HOST: setting(z.string().min(1).default('127.0.0.1'), 'an interface address, e.g. HOST=127.0.0.1 or HOST=0.0.0.0'),
  DATA_DIR: setting(z.string().min(1).default('./data'), 'a writable folder, e.g. DATA_DIR=./data'),
  LOG_LEVEL: setting(logLevel.default('info'), 'one of fatal, error, warn, info, debug, trace, silent'),
  SWITCHBOARD_API_TOKEN: setting(
    z.string().min(16, 'must be at least 16 characters').optional(),
    'a long random string, e.g. SWITCHBOARD_API_TOKEN=$(openssl rand -hex 24)',
  ),
  SWITCHBOARD_URL: setting(
    httpUrl.optional(),
    'the address the CLI uses to reach a running service, e.g. SWITCHBOARD_URL=http://127.0.0.1:3000',
  ),
  MAX_BODY_BYTES: setting(
    z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
    'a size in bytes between 1024 and 52428800, e.g. MAX_BODY_BYTES=262144',
  ),
  DEFAULT_TIMEZONE: setting(timeZone.default('UTC'), 'an IANA time zone, e.g. DEFAULT_TIMEZONE=Europe/London'),

  // --- storage ---
  DATABASE_URL: setting(
    url(['postgres:', 'postgresql:']).optional(),
    'a PostgreSQL URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/switchboard, or leave it unset for the embedded database',
  ),
  REDIS_URL: setting(
    url(['redis:', 'rediss:']).optional(),
    'a Redis URL, e.g. REDIS_URL=redis://127.0.0.1:6379, or leave it unset for the in-process hot tier',
  ),
  DATABASE_POOL_SIZE: setting(
    z.coerce.number().int().min(1).max(100).default(10),
    'a whole number between 1 and 100, e.g. DATABASE_POOL_SIZE=10',
  ),
  DATABASE_PREPARED_STATEMENTS: setting(z.enum(['true', 'false']).default('true').transform((v) => v === 'true'), 'true or false'),

  // --- understanding ---
  APPS: setting(
    z
      .string()
      .default('soarix-web,marketing-site,landing-page,client-portal,acme-shop')
      .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'app names are lower-case words joined by dashes')).min(1)),
    'a comma-separated list of app names, e.g. APPS=soarix-web,marketing-site',
  ),
  APPS_FILE: setting(
    z.string().min(1).optional(),
    'the path of the app catalog, a YAML or JSON file (see README, "Apps"), e.g. APPS_FILE=./apps.yaml, or leave it unset for DATA_DIR/apps.json',
  ),
  ANTHROPIC_API_KEY: setting(z.string().min(10).optional(), 'an Anthropic API key (sk-ant-…), or leave it unset to understand offline only'),
  ANTHROPIC_BASE_URL: setting(httpUrl.optional(), 'the Messages API base URL, e.g. ANTHROPIC_BASE_URL=https://api.anthropic.com'),
  ANTHROPIC_MODEL: setting(z.string().min(1).default('claude-sonnet-5-5'), 'a model name, e.g. ANTHROPIC_MODEL=claude-sonnet-5-5'),
  ANTHROPIC_TIMEOUT_MS: setting(positiveMs.default(8_000), 'milliseconds, e.g. ANTHROPIC_TIMEOUT_MS=8000'),
  ANTHROPIC_MAX_RETRIES: setting(z.coerce.number().int().min(0).max(5).default(2), 'a whole number between 0 and 5'),
  NLU_CLAUDE_BELOW_CONFIDENCE: setting(
    z.coerce.number().min(0).max(1).default(0.7),
    'a number between 0 and 1, e.g. NLU_CLAUDE_BELOW_CONFIDENCE=0.7',
  ),
  NLU_CLAUDE_ABOVE_CHARS: setting(z.coerce.number().int().min(1).default(160), 'a number of characters, e.g. NLU_CLAUDE_ABOVE_CHARS=160'),

  // --- agent ---
  CONFIRM_TTL_MS: setting(
    z.coerce.number().int().min(10_000).max(86_400_000).default(300_000),
    'milliseconds between 10000 and 86400000, e.g. CONFIRM_TTL_MS=300000 (5 minutes)',
  ),
  ROLE_POLICY_FILE: setting(z.string().min(1).optional(), 'the path of a JSON policy file (see README, "Roles"), e.g. ROLE_POLICY_FILE=./policy.json'),
  // No default here: unset means `developer` on a loopback HOST and `unknown` (pairing) on any other
  // (see webchatDefaultRole in load-config.ts), so exposing the port never hands out a staff role by itself.
  WEBCHAT_DEFAULT_ROLE: setting(
    z.enum(ROLES).optional(),
    `one of ${ROLES.join(', ')} (unknown makes every new web chat visitor pair first); unset: developer on a loopback HOST, unknown otherwise`,
  ),

  // --- client conversations (bot/client) ---
  BOOKING_URL: setting(
    httpUrl.optional(),
    'the page where clients book a call, e.g. BOOKING_URL=https://cal.com/your-agency/intro (unset: a client asking for a call is handed to the team)',
  ),

  // --- CRM (tools/crm) ---
  CRM_PIPELINE: setting(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
      .refine((stages) => stages.length >= 3 && new Set(stages).size === stages.length, 'needs at least three distinct stages')
      .default(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']),
    'deal stages in order, comma-separated, the last two closing a deal (won, then lost), e.g. CRM_PIPELINE=lead,qualified,proposal,negotiation,won,lost',
  ),
  CRM_DEFAULT_COUNTRY: setting(
    z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code').transform((v) => v.toUpperCase()).default('US'),
    'the two-letter country of phone numbers written without a country code, e.g. CRM_DEFAULT_COUNTRY=GB',
  ),

  // --- channels ---
  PUBLIC_URL: setting(httpUrl.optional(), 'the public https address of this service, e.g. PUBLIC_URL=https://bot.example.com (used to register webhooks)'),
  SLACK_BOT_TOKEN: setting(z.string().regex(/^xoxb-/, 'must start with xoxb-').optional(), 'the Bot User OAuth Token from your Slack app (xoxb-…)'),
  SLACK_SIGNING_SECRET: setting(z.string().min(8).optional(), "the Signing Secret from your Slack app's Basic Information page"),
  SLACK_APP_TOKEN: setting(z.string().regex(/^xapp-/, 'must start with xapp-').optional(), 'an App-Level Token (xapp-…) with connections:write, for Socket Mode'),
  SLACK_API_URL: setting(httpUrl.optional(), 'the Slack Web API base URL, e.g. SLACK_API_URL=https://slack.com/api/ (a local fake in tests)'),
  TELEGRAM_BOT_TOKEN: setting(z.string().regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC-DEF…').optional(), 'the token @BotFather gave you, e.g. 123456789:AA…'),
  TELEGRAM_WEBHOOK_SECRET: setting(
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may contain only A-Z, a-z, 0-9, _ and -').optional(),
    'a random string (1-256 characters of A-Z, a-z, 0-9, _ and -) Telegram sends back in X-Telegram-Bot-Api-Secret-Token',
  ),
  TELEGRAM_API_ROOT: setting(httpUrl.optional(), 'the Bot API root, e.g. TELEGRAM_API_ROOT=https://api.telegram.org (a local fake in tests)'),
  TELEGRAM_MODE: setting(z.enum(['webhook', 'polling']).default('webhook'), 'webhook (needs PUBLIC_URL) or polling'),
  WHATSAPP_ACCESS_TOKEN: setting(z.string().min(10).optional(), 'a system user access token with whatsapp_business_messaging permission'),
  WHATSAPP_APP_SECRET: setting(z.string().min(8).optional(), "your Meta app's App Secret (signs webhooks with X-Hub-Signature-256)"),
  WHATSAPP_VERIFY_TOKEN: setting(z.string().min(8).optional(), 'any string you also type into the webhook settings in the Meta App Dashboard'),
  WHATSAPP_PHONE_NUMBER_ID: setting(z.string().regex(/^\d+$/, 'must be digits').optional(), 'the Phone number ID of your WhatsApp Business number (digits)'),
  WHATSAPP_GRAPH_URL: setting(httpUrl.default('https://graph.facebook.com'), 'the Graph API base URL, e.g. WHATSAPP_GRAPH_URL=https://graph.facebook.com'),
  WHATSAPP_API_VERSION: setting(z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0').default('v21.0'), 'a Graph API version, e.g. v21.0'),
  WHATSAPP_TEMPLATE_NAME: setting(z.string().min(1).optional(), 'an approved message template with one body parameter, sent outside the 24-hour window'),
  WHATSAPP_TEMPLATE_LANGUAGE: setting(z.string().min(2).default('en'), 'the template language code, e.g. en or en_US'),
  WHATSAPP_WEB_ENABLED: setting(z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), 'true or false'),
  WHATSAPP_WEB_SESSION_DIR: setting(z.string().min(1).optional(), 'a folder for the WhatsApp Web login session (default DATA_DIR/whatsapp-web)'),
  RATE_LIMIT_PER_USER_PER_MINUTE: setting(z.coerce.number().int().min(1).default(20), 'a whole number, e.g. RATE_LIMIT_PER_USER_PER_MINUTE=20'),
  NOTIFY_PER_CHAT_PER_MINUTE: setting(z.coerce.number().int().min(1).default(20), 'a whole number, e.g. NOTIFY_PER_CHAT_PER_MINUTE=20'),
  RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: setting(z.coerce.number().int().min(1).default(40), 'a whole number, e.g. RATE_LIMIT_PER_CONVERSATION_PER_MINUTE=40'),

  // --- voice notes ---
  TRANSCRIBER: setting(z.enum(['openai', 'none']).optional(), 'openai (an OpenAI-compatible transcription endpoint) or none; default: openai when OPENAI_API_KEY is set'),
  OPENAI_API_KEY: setting(z.string().min(1).optional(), 'the API key of your OpenAI-compatible transcription server (any string for a local Whisper server that ignores it)'),
  OPENAI_BASE_URL: setting(httpUrl.default('https://api.openai.com/v1'), 'the API base URL, e.g. OPENAI_BASE_URL=http://127.0.0.1:8080/v1 for a local whisper.cpp server'),
  OPENAI_TRANSCRIBE_MODEL: setting(z.string().min(1).default('whisper-1'), 'a transcription model name, e.g. whisper-1 or gpt-4o-mini-transcribe'),
  TRANSCRIBE_CHUNK_SECONDS: setting(
    z.coerce.number().int().min(10).max(3_600).default(600),
    "seconds of audio per transcription request (keep each request under the provider's limit, 25 MB at OpenAI)",
  ),
  MEDIA_MAX_BYTES: setting(z.coerce.number().int().min(1_024).max(200 * 1024 * 1024).default(20 * 1024 * 1024), 'bytes, e.g. MEDIA_MAX_BYTES=20971520 (20 MB)'),
  MEDIA_MAX_SECONDS: setting(z.coerce.number().int().min(1).max(4 * 3_600).default(20 * 60), 'seconds of audio a voice note may last, e.g. MEDIA_MAX_SECONDS=1200'),

  // --- build and deploy providers ---
  GITHUB_TOKEN: setting(z.string().min(10).optional(), 'a GitHub token allowed to run workflows (actions: write), for apps built with github-actions'),
  GITHUB_API_URL: setting(httpUrl.default('https://api.github.com'), 'the GitHub REST API base URL, e.g. GITHUB_API_URL=https://api.github.com (GitHub Enterprise: https://HOST/api/v3)'),
  VERCEL_TOKEN: setting(z.string().min(10).optional(), 'a Vercel access token (Account Settings → Tokens), for apps deployed with vercel'),
  VERCEL_API_URL: setting(httpUrl.default('https://api.vercel.com'), 'the Vercel REST API base URL, e.g. VERCEL_API_URL=https://api.vercel.com'),

  // --- domains: availability and registration ---
  RDAP_BOOTSTRAP_URL: setting(httpUrl.default('https://data.iana.org/rdap/dns.json'), "IANA's RDAP bootstrap file for domains, e.g. RDAP_BOOTSTRAP_URL=https://data.iana.org/rdap/dns.json"),
  RDAP_URL: setting(httpUrl.optional(), 'one RDAP base URL asked for every domain instead of the bootstrap, e.g. RDAP_URL=https://rdap.verisign.com/com/v1/'),
  REGISTRAR: setting(
    z.enum(['porkbun', 'sandbox']).optional(),
    'porkbun (needs PORKBUN_API_KEY and PORKBUN_SECRET_KEY) or sandbox (nothing is bought); unset: porkbun when both Porkbun keys are set, else sandbox',
  ),
  PORKBUN_API_KEY: setting(z.string().min(10).optional(), 'a Porkbun API key (pk1_…), from porkbun.com/account/api, with API access on for the account'),
  PORKBUN_SECRET_KEY: setting(z.string().min(10).optional(), 'the secret key (sk1_…) created with PORKBUN_API_KEY'),
  PORKBUN_API_URL: setting(httpUrl.default('https://api.porkbun.com/api/json/v3'), 'the Porkbun API base URL, e.g. PORKBUN_API_URL=https://api.porkbun.com/api/json/v3'),
  PORKBUN_ORDER_TIMEOUT_MS: setting(
    positiveMs.default(60_000),
    'milliseconds a domain order may take before its outcome counts as unknown (the account is then checked, never ordered again blindly), e.g. PORKBUN_ORDER_TIMEOUT_MS=60000',
  ),

  // --- DNS records (tools/domains/dns) ---
  DNS_PROVIDER: setting(
    z.enum(['cloudflare', 'sandbox']).optional(),
    'cloudflare (needs CLOUDFLARE_API_TOKEN) or sandbox (records kept here, served by a local name server); unset: cloudflare when CLOUDFLARE_API_TOKEN is set, else sandbox',
  ),
  CLOUDFLARE_API_TOKEN: setting(z.string().min(10).optional(), 'a Cloudflare API token with Zone:Read and DNS:Edit (My Profile → API Tokens → "Edit zone DNS")'),
  CLOUDFLARE_API_URL: setting(httpUrl.default('https://api.cloudflare.com/client/v4'), 'the Cloudflare API base URL, e.g. CLOUDFLARE_API_URL=https://api.cloudflare.com/client/v4'),
  SANDBOX_DNS_PORT: setting(port.default(0), 'the port of the sandbox name server on 127.0.0.1 (UDP and TCP), e.g. SANDBOX_DNS_PORT=5354; 0 picks a free one'),

  // --- domain mapping watch (tools/domains) ---
  DNS_SERVERS: setting(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.length > 0 && list.every(isServerAddress), 'must be addresses with an optional port, separated by commas')
      .optional(),
    'name servers to ask instead of the zone\'s own, e.g. DNS_SERVERS=192.0.2.53,127.0.0.1:5353,[2001:db8::53]:53 (unset: the zone\'s authoritative name servers)',
  ),
  DOMAIN_WATCH_MAX_MS: setting(
    z.coerce.number().int().min(1_000).max(7 * 24 * 3_600_000).default(6 * 3_600_000),
    'milliseconds a mapped domain is watched for before it is reported failed, e.g. DOMAIN_WATCH_MAX_MS=21600000 (6 hours)',
  ),
  DOMAIN_WATCH_FIRST_MS: setting(
    z.coerce.number().int().min(50).max(3_600_000).default(5_000),
    'milliseconds before the second check of a mapped domain (later checks wait twice as long each time), e.g. DOMAIN_WATCH_FIRST_MS=5000',
  ),
  DOMAIN_WATCH_INTERVAL_MAX_MS: setting(
    z.coerce.number().int().min(50).max(24 * 3_600_000).default(10 * 60_000),
    'the longest wait between two checks of a mapped domain, in milliseconds, e.g. DOMAIN_WATCH_INTERVAL_MAX_MS=600000',
  ),
  DNS_QUERY_TIMEOUT_MS: setting(
    z.coerce.number().int().min(50).max(30_000).default(2_000),
    'milliseconds one name server has to answer one question, e.g. DNS_QUERY_TIMEOUT_MS=2000',
  ),

  // --- knowledge base ---
  KNOWLEDGE_DIR: setting(z.string().min(1).optional(), "a folder of Markdown documents, e.g. KNOWLEDGE_DIR=./docs/agency, or leave it unset for the sample documents"),
  KNOWLEDGE_MIN_COVERAGE: setting(z.coerce.number().min(0).max(1).default(0.25), 'a number between 0 and 1, e.g. KNOWLEDGE_MIN_COVERAGE=0.25'),

  // --- message path ---
  TURN_LOCK_TTL_MS: setting(positiveMs.default(120_000), 'milliseconds, e.g. TURN_LOCK_TTL_MS=120000'),
  TURN_LOCK_WAIT_MS: setting(positiveMs.default(60_000), 'milliseconds, e.g. TURN_LOCK_WAIT_MS=60000'),
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };
