import { z } from 'zod';

/** The environments an app deploys to: the values of the `env` slot (intents/ids.ts), kept here so the catalog loads without the understanding. */
export const ENVIRONMENTS = ['production', 'staging', 'preview'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DEPLOY_PROVIDERS = ['local', 'vercel', 'sandbox'] as const;
export type DeployProvider = (typeof DEPLOY_PROVIDERS)[number];

export const BUILD_PROVIDERS = ['local', 'github-actions', 'sandbox'] as const;
export type BuildProvider = (typeof BUILD_PROVIDERS)[number];

const APP_NAME = /^[a-z0-9][a-z0-9-]*$/;
// POSIX shell variable names: what a build command can actually read.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const httpUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

/** After a switch, the deploy is good when this answers: a URL (any 2xx) or a command (exit 0). */
export const HealthCheckSchema = z.union([
  z.strictObject({ url: httpUrl, timeoutSeconds: z.number().int().positive().max(600).optional() }),
  z.strictObject({ command: z.string().min(1), timeoutSeconds: z.number().int().positive().max(600).optional() }),
]);
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((h) => h.replace(/\.$/, ''))
  .refine((h) => h.length <= 253 && h.split('.').length >= 2 && h.split('.').every((l) => /^[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)), 'must be a host name such as cname.vercel-dns.com');

/**
 * The DNS records a domain mapped to this environment needs (tools/domains, `domain.map`): a CNAME to a
 * host, or A/AAAA records to addresses. Unset: the deploy provider's default (vercel: CNAME
 * cname.vercel-dns.com, or A 76.76.21.21 at a zone's apex; local and sandbox: A 127.0.0.1).
 */
export const DomainTargetSchema = z.union([
  z.strictObject({ cname: hostName }),
  z
    .strictObject({ a: z.array(z.ipv4()).min(1).optional(), aaaa: z.array(z.ipv6()).min(1).optional() })
    .refine((t) => t.a !== undefined || t.aaaa !== undefined, 'needs at least one address: a: [203.0.113.10] or aaaa: [2001:db8::10]'),
]);
export type DomainTarget = z.infer<typeof DomainTargetSchema>;

/** Where one environment of an app goes live; each provider has its own settings. */
export const DeployTargetSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('local'),
    /** The folder that receives `releases/<timestamp>-<sha>` and the `current` link. */
    path: z.string().min(1),
    keepReleases: z.number().int().min(1).max(100).default(5),
    healthCheck: HealthCheckSchema.optional(),
    domainTarget: DomainTargetSchema.optional(),
  }),
  z.strictObject({
    provider: z.literal('vercel'),
    project: z.string().min(1),
    team: z.string().min(1).optional(),
    healthCheck: HealthCheckSchema.optional(),
    domainTarget: DomainTargetSchema.optional(),
  }),
  z.strictObject({
    provider: z.literal('sandbox'),
    healthCheck: HealthCheckSchema.optional(),
    domainTarget: DomainTargetSchema.optional(),
  }),
]);
export type DeployTarget = z.infer<typeof DeployTargetSchema>;

export const BuildSchema = z
  .strictObject({
    /** Unset: `local` when the app has a repository and commands, else `sandbox`. */
    provider: z.enum(BUILD_PROVIDERS).optional(),
    commands: z.array(z.string().min(1)).default([]),
    /** The folder, inside the checkout, that the commands produce and a deploy ships. */
    output: z.string().min(1).optional(),
    timeoutSeconds: z.number().int().positive().max(86_400).default(600),
    /** github-actions only: the workflow file name or id to dispatch. */
    workflow: z.string().min(1).optional(),
  })
  .refine((b) => b.provider !== 'github-actions' || b.workflow !== undefined, {
    message: 'the github-actions build needs a workflow',
    path: ['workflow'],
  });

/** One app as written in the catalog file. */
export const AppEntrySchema = z.strictObject({
  name: z.string().regex(APP_NAME, 'must be lower-case letters, digits and dashes'),
  aliases: z.array(z.string().trim().min(1)).default([]),
  /** A git URL or a local path (relative paths are relative to the catalog file). */
  repository: z.string().min(1).optional(),
  branch: z.string().min(1).default('main'),
  build: BuildSchema.default({ commands: [], timeoutSeconds: 600 }),
  /** Names of the environment variables its build and deploy may see; no others are passed. */
  variables: z.array(z.string().regex(VARIABLE_NAME, 'must be an environment variable name such as NODE_ENV')).default([]),
  environments: z.partialRecord(z.enum(ENVIRONMENTS), DeployTargetSchema).default({}),
  /** The client company the app is built for (its CRM company name): that client may ask about its status on WhatsApp. */
  client: z.string().trim().min(1).optional(),
});
export type AppEntry = z.input<typeof AppEntrySchema>;

export const CatalogFileSchema = z.strictObject({ apps: z.array(AppEntrySchema).default([]) });
export type CatalogFile = z.infer<typeof CatalogFileSchema>;

/** An app as the rest of Switchboard sees it: every environment has a target (sandbox when unset). */
export interface App {
  name: string;
  aliases: string[];
  repository: string | undefined;
  branch: string;
  build: { provider: BuildProvider; commands: string[]; output: string | undefined; timeoutSeconds: number; workflow: string | undefined };
  variables: string[];
  environments: Record<Environment, DeployTarget>;
  /** Where it was declared: the catalog file, or only in the APPS setting. */
  source: 'file' | 'APPS';
  /** The client company it is built for, if any (bot/client: project status for that company's people). */
  client?: string;
}

/** The per-field fix shown next to a catalog problem, keyed by the field's name. */
export const FIELD_FIXES: Record<string, string> = {
  name: 'a lower-case name with dashes, e.g. name: soarix-web',
  aliases: 'a list of other names people use, e.g. aliases: [marketing site, soarix]',
  repository: 'a git URL or a local path, e.g. repository: https://github.com/acme/web.git',
  branch: 'a branch name, e.g. branch: main',
  build: 'e.g. build: { commands: [npm ci, npm run build], output: dist }',
  commands: 'a list of shell commands, e.g. commands: [npm ci, npm run build]',
  output: 'the folder the build writes, e.g. output: dist',
  timeoutSeconds: 'a whole number of seconds, e.g. timeoutSeconds: 600',
  workflow: 'the workflow file to dispatch, e.g. workflow: build.yml',
  variables: 'a list of variable names, e.g. variables: [NODE_ENV, PUBLIC_API_URL]',
  environments: 'targets under production, staging or preview, e.g. production: { provider: local, path: /srv/web }',
  provider: `one of ${DEPLOY_PROVIDERS.join(', ')}, e.g. provider: local`,
  buildProvider: `one of ${BUILD_PROVIDERS.join(', ')}, e.g. provider: local`,
  path: 'the folder releases go to, e.g. path: /srv/soarix-web',
  keepReleases: 'a whole number between 1 and 100, e.g. keepReleases: 5',
  project: 'the Vercel project name or id, e.g. project: soarix-web',
  team: 'the Vercel team id, e.g. team: team_abc123',
  healthCheck: 'a URL or a command, e.g. healthCheck: { url: https://soarix.com/health } or { command: "curl -f localhost:8080" }',
  url: 'an http(s) URL, e.g. url: https://soarix.com/health',
  command: 'a shell command that exits 0 when healthy',
  domainTarget: 'the records a mapped domain needs, e.g. domainTarget: { cname: cname.vercel-dns.com } or { a: [203.0.113.10] }',
  cname: 'a host name, e.g. cname: cname.vercel-dns.com',
  a: 'a list of IPv4 addresses, e.g. a: [203.0.113.10]',
  aaaa: 'a list of IPv6 addresses, e.g. aaaa: [2001:db8::10]',
  apps: 'a list of apps, e.g. apps: [{ name: soarix-web, ... }]',
  client: 'the client company the app is for, as named in the CRM, e.g. client: Pixelforge',
};
