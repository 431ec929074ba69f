import { z } from 'zod';
import { CHANNEL_NAMES, isChannelName } from '../channels/index.js';
import { BadRequestError } from '../core/errors.js';
import { silentLogger } from '../core/index.js';
import { ROLES } from '../core/roles.js';
import { buildPhrase, matchesPhrase } from '../flows/index.js';
import type { Clock } from '../core/clock.js';
import { AuditLog, ConversationRepo, CrmRepo, DomainMappingRepo, JobRepo, MessageRepo, NotificationRepo, PairingRepo, PeopleRepo, RegisteredDomainRepo, type Database, type JobRecord } from '../store/index.js';
import { CrmService, exportCsv, importCsv, Pipeline } from '../tools/crm/index.js';
import { approvePairingAction } from '../tools/index.js';
import { JobNotFoundError } from '../tools/jobs/index.js';
import { normaliseCode, PairingService } from './pairing.js';
import { ClientRepo, Handoffs } from './client/index.js';

/**
 * Store-changing and store-reading commands of the CLI. They run wherever the store is open: in the
 * CLI process itself, or, when the embedded database is held by a running service, inside that
 * service through `POST /api/admin/commands/:name`. Either way the same code runs.
 */
export interface AdminDeps {
  people: PeopleRepo;
  audit: AuditLog;
  pairing: PairingService;
  /** Job records (builds, deploys, rollbacks) for `switchboard runs`. */
  jobs: JobRepo;
  /** Domain mappings and registered domains, for `switchboard domains list|show`. */
  domains: { mappings: DomainMappingRepo; registered: RegisteredDomainRepo };
  /** The CRM, for `switchboard crm export|import`. */
  crm: { repo: CrmRepo; service: CrmService };
  /** Client conversations handed to the team, and tasks shown to clients, for `switchboard clients`. */
  clients: { repo: ClientRepo; handoffs: Handoffs };
}

/** The repositories the admin commands need, for a CLI process that opened the store itself. */
export function createAdminDeps(db: Database, clock: Clock, secrets: string[], crmSettings: { pipeline: string[]; defaultCountry: string }): AdminDeps {
  const people = new PeopleRepo(db, clock);
  const audit = new AuditLog(db, clock, secrets);
  const crm = new CrmRepo(db, clock);
  const clients = new ClientRepo(db, clock);
  return {
    // No channels in a CLI process: what a hand-back says to the client is stored, and the service sends it on its next pass.
    clients: {
      repo: clients,
      handoffs: new Handoffs({
        repo: clients,
        people,
        conversations: new ConversationRepo(db, clock),
        messages: new MessageRepo(db, clock),
        notifications: new NotificationRepo(db, clock),
        outbox: { kick: async () => {} },
        audit,
        logger: silentLogger(),
        clock,
        // Hand-backs only, here: no team reply is relayed from the command line.
        whatsappTemplate: false,
      }),
    },
    crm: { repo: crm, service: new CrmService({ crm, pipeline: new Pipeline(crmSettings.pipeline), defaultCountry: crmSettings.defaultCountry }) },
    people,
    audit,
    domains: { mappings: new DomainMappingRepo(db, clock), registered: new RegisteredDomainRepo(db, clock) },
    pairing: new PairingService({ pairing: new PairingRepo(db, clock), people, audit, clock }),
    jobs: new JobRepo(db, clock),
  };
}

/** `<channel>:<userId>`, e.g. `slack:U024BE7LH`, `webchat:alice`, `whatsapp:+447911123456`. */
export const IdentitySchema = z
  .string()
  .trim()
  .regex(/^[a-z]+:.+$/, 'identity must look like <channel>:<userId>, e.g. webchat:alice')
  .transform((value, ctx) => {
    const at = value.indexOf(':');
    const channel = value.slice(0, at);
    const userId = value.slice(at + 1);
    if (!isChannelName(channel)) {
      ctx.addIssue({ code: 'custom', message: `unknown channel "${channel}"; use webchat, terminal, slack, telegram or whatsapp` });
      return z.NEVER;
    }
    return { channel, userId };
  });

const RoleSchema = z.enum(ROLES, { error: () => `role must be one of ${ROLES.join(', ')}` });

function command<S extends z.ZodType, R>(schema: S, run: (deps: AdminDeps, args: z.output<S>) => Promise<R>) {
  return { schema, run };
}

export const ADMIN_COMMANDS = {
  'users.grant': command(z.object({ identity: IdentitySchema, role: RoleSchema }), async (deps, { identity, role }) => {
    const person = await deps.people.grant(identity.channel, identity.userId, role);
    await deps.audit.append({
      actor: 'cli',
      action: 'role.granted',
      data: { personId: person.id, identity: `${identity.channel}:${identity.userId}`, role },
    });
    return { personId: person.id, identity: `${identity.channel}:${identity.userId}`, role: person.role };
  }),
  /** One person, several channels: a task made in Slack can be reminded on Telegram. */
  'users.link': command(z.object({ identity: IdentitySchema, other: IdentitySchema }), async (deps, { identity, other }) => {
    const person = await deps.people.link({ channel: identity.channel, externalId: identity.userId }, { channel: other.channel, externalId: other.userId });
    await deps.audit.append({
      actor: 'cli',
      action: 'identity.linked',
      data: { personId: person.id, identity: `${identity.channel}:${identity.userId}`, linked: `${other.channel}:${other.userId}` },
    });
    return { personId: person.id, role: person.role, identities: person.identities.map((i) => `${i.channel}:${i.externalId}`) };
  }),
  'users.prefer': command(
    z.object({ identity: IdentitySchema, channel: z.enum(CHANNEL_NAMES, { error: () => `channel must be one of ${CHANNEL_NAMES.join(', ')}` }) }),
    async (deps, { identity, channel }) => {
      const person = await deps.people.findByIdentity(identity.channel, identity.userId);
      if (!person) throw new BadRequestError(`Nobody is known as ${identity.channel}:${identity.userId}.`);
      const identities = await deps.people.identitiesOf(person.id);
      if (!identities.some((i) => i.channel === channel)) {
        throw new BadRequestError(`${identity.channel}:${identity.userId} has no ${channel} identity; link one first with switchboard users link.`);
      }
      await deps.people.setPreferredChannel(person.id, channel);
      return { personId: person.id, preferredChannel: channel };
    },
  ),
  'users.list': command(z.object({}), async (deps) => {
    const people = await deps.people.list();
    return people.map((p) => ({
      personId: p.id,
      role: p.role,
      name: p.displayName,
      identities: p.identities.map((i) => `${i.channel}:${i.externalId}`),
    }));
  }),
  /**
   * Approves a pairing code. Granting admin or owner is a risky action here too: the call must
   * carry the typed phrase (`--confirm "CONFIRM GRANT ADMIN K7PX2M9Q"`).
   */
  'pairing.approve': command(
    z.object({ code: z.string(), role: RoleSchema.exclude(['unknown']), confirm: z.string().optional() }),
    async (deps, { code, role, confirm }) => {
      const normalised = normaliseCode(code);
      if (!normalised) throw new BadRequestError(`"${code}" is not a pairing code (8 letters and digits)`);
      // Which grants need the phrase is the action's own risk (the same as `/approve` in chat), not a list of roles here.
      const risk = approvePairingAction({ pairing: deps.pairing }).risk({ code: normalised, role, identity: '' });
      if (risk !== 'safe') {
        const phrase = buildPhrase({ verb: 'grant', target: role, qualifier: normalised });
        if (!confirm || !matchesPhrase(confirm, phrase)) {
          await deps.audit.append({ actor: 'cli', action: 'confirmation.refused', data: { action: 'people.approve', role, code: normalised, reason: confirm ? 'wrong phrase' : 'no phrase' } });
          throw new BadRequestError(`Granting ${role} is a risky action. To go ahead, add: --confirm "${phrase}"`);
        }
      }
      const approved = await deps.pairing.approve(normalised, role, null);
      if (!approved) throw new BadRequestError(`There is no pending pairing code ${normalised} (codes expire after an hour).`);
      return { identity: approved.identity, role };
    },
  ),
  'audit.verify': command(z.object({}), async (deps) => deps.audit.verify()),
  'audit.tail': command(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }), async (deps, { limit }) =>
    deps.audit.tail(limit),
  ),
  'runs.list': command(
    z.object({
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'], { error: () => 'status must be one of queued, running, succeeded, failed, cancelled, interrupted' }).optional(),
      kind: z.string().min(1).max(40).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(20),
    }),
    async (deps, { status, kind, limit }) => deps.jobs.list({ ...(status ? { status } : {}), ...(kind ? { kind } : {}), limit }),
  ),
  'runs.show': command(z.object({ id: z.string().trim().min(1) }), async (deps, { id }) => findRun(deps, id)),
  'runs.logs': command(
    z.object({ id: z.string().trim().min(1), tail: z.coerce.number().int().min(1).max(10_000).default(100) }),
    async (deps, { id, tail }) => {
      const job = await findRun(deps, id);
      return { id: job.id, logLines: job.logLines, lines: await deps.jobs.logs(job.id, tail) };
    },
  ),
  'domains.list': command(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), async (deps, { limit }) => ({
    mappings: await deps.domains.mappings.list(limit),
    registered: await deps.domains.registered.list(),
  })),
  'domains.show': command(z.object({ domain: z.string().trim().toLowerCase().min(1).max(253) }), async (deps, { domain }) => {
    const name = domain.replace(/\.$/, '');
    const [mapping, registered] = await Promise.all([deps.domains.mappings.latestFor(name), deps.domains.registered.find(name)]);
    if (!mapping && !registered) throw new BadRequestError(`Switchboard has no record of ${name}: it was neither registered nor mapped here.`);
    return { domain: name, mapping: mapping ?? null, registered: registered ?? null };
  }),
  'crm.export': command(
    z.object({ kind: z.enum(['contacts', 'deals'], { error: () => 'kind must be contacts or deals' }).default('contacts') }),
    async (deps, { kind }) => ({ csv: await exportCsv(deps.crm.repo, kind) }),
  ),
  'crm.import': command(z.object({ csv: z.string(), dryRun: z.boolean().default(false) }), async (deps, { csv, dryRun }) =>
    importCsv(deps.crm.service, csv, { dryRun }),
  ),
  /** Client conversations a person has taken over (the bot is quiet in them). */
  'clients.handoffs': command(z.object({}), async (deps) =>
    Promise.all(
      (await deps.clients.repo.listOpen()).map(async (h) => ({ id: h.id, conversationId: h.conversationId, reason: h.reason, openedAt: h.openedAt, client: await deps.clients.handoffs.label(h) })),
    ),
  ),
  /** Gives a handed-off conversation back to the bot (the console's `/handback`); the client is told. */
  'clients.handback': command(z.object({ id: z.string().trim().min(4, 'give the hand-off id, or at least its first 4 characters') }), async (deps, { id }) => {
    const handoff = await deps.clients.repo.findOpen(id);
    if (!handoff) throw new BadRequestError(`No open hand-off starts with "${id}" (switchboard clients handoffs lists them).`);
    const client = await deps.clients.handoffs.label(handoff);
    await deps.clients.handoffs.handBack(handoff, null);
    return { id: handoff.id, client, handedBack: true };
  }),
  /** Shows a task to the client of an app in their project's status, or hides it. */
  'clients.task': command(
    z.object({ number: z.coerce.number().int().positive(), app: z.string().trim().min(1).nullable().default(null), visible: z.boolean() }),
    async (deps, { number, app, visible }) => {
      if (visible && !app) throw new BadRequestError('Say which app the task is about: the client of that app sees it.');
      if (!(await deps.clients.repo.showTaskToClient(number, app, visible))) throw new BadRequestError(`There is no task ${number}.`);
      return { number, app, visible };
    },
  ),
} as const;

/** A run by its id or the start of it (`runs list` shows the first 8 characters). */
async function findRun(deps: AdminDeps, id: string): Promise<JobRecord> {
  const exact = await deps.jobs.get(id);
  if (exact) return exact;
  const found = await deps.jobs.findByPrefix(id);
  if (found.length > 1) throw new BadRequestError(`More than one run starts with "${id}"; give more of its id.`);
  if (!found[0]) throw new JobNotFoundError(id);
  return found[0];
}

export type AdminCommandName = keyof typeof ADMIN_COMMANDS;

export function isAdminCommand(name: string): name is AdminCommandName {
  return Object.hasOwn(ADMIN_COMMANDS, name);
}

/** Validates the arguments and runs the command. Bad arguments throw BadRequestError with the reason. */
export async function runAdminCommand(deps: AdminDeps, name: string, args: unknown): Promise<unknown> {
  if (!isAdminCommand(name)) throw new BadRequestError(`unknown command "${name}"`);
  const { schema, run } = ADMIN_COMMANDS[name] as { schema: z.ZodType; run: (d: AdminDeps, a: unknown) => Promise<unknown> };
  const parsed = schema.safeParse(args ?? {});
  if (!parsed.success) throw new BadRequestError(parsed.error.issues.map((i) => i.message).join('; '));
  return run(deps, parsed.data);
}
