import { z } from 'zod';
import { isChannelName } from '../channels/index.js';
import { BadRequestError } from '../core/errors.js';
import { ROLES } from '../core/roles.js';
import type { AuditLog, PeopleRepo } from '../store/index.js';

/**
 * Store-changing and store-reading commands of the CLI. They run wherever the store is open: in the
 * CLI process itself, or, when the embedded database is held by a running service, inside that
 * service through `POST /api/admin/commands/:name`. Either way the same code runs.
 */
export interface AdminDeps {
  people: PeopleRepo;
  audit: AuditLog;
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
  'users.list': command(z.object({}), async (deps) => {
    const people = await deps.people.list();
    return people.map((p) => ({
      personId: p.id,
      role: p.role,
      name: p.displayName,
      identities: p.identities.map((i) => `${i.channel}:${i.externalId}`),
    }));
  }),
  'audit.verify': command(z.object({}), async (deps) => deps.audit.verify()),
  'audit.tail': command(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }), async (deps, { limit }) =>
    deps.audit.tail(limit),
  ),
} as const;

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
