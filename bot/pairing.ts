import { randomInt } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Role } from '../core/roles.js';
import type { AuditLog, PairingRepo, PeopleRepo, Person } from '../store/index.js';

/** Characters of a pairing code: no 0/O or 1/I/L, so codes survive being read out. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_TTL_MS = 60 * 60 * 1000;
export const MAX_PENDING_PER_CHANNEL = 3;

export type PairingOutcome = { code: string; expiresAt: number } | { busy: true };

/** "k7px-2m9q" → "K7PX2M9Q"; undefined when it cannot be a code. */
export function normaliseCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return code.length === PAIRING_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/**
 * Pairing: a person the bot does not know gets a code (8 characters, valid 1 hour, at most 3
 * pending per channel); an admin approves the code with a role, in chat (`/approve CODE ROLE`) or
 * with `switchboard pairing approve CODE ROLE`.
 */
export class PairingService {
  constructor(
    private readonly deps: { pairing: PairingRepo; people: PeopleRepo; audit: AuditLog; clock: Clock },
    private readonly options: { ttlMs?: number; maxPending?: number } = {},
  ) {}

  /** The person's pending code (the same one on every message until it expires), or busy. */
  async codeFor(person: Person, channel: string, externalId: string): Promise<PairingOutcome> {
    const existing = await this.deps.pairing.findPending(channel, externalId);
    if (existing) return { code: existing.code, expiresAt: existing.expiresAt };
    if ((await this.deps.pairing.countPending(channel)) >= (this.options.maxPending ?? MAX_PENDING_PER_CHANNEL)) return { busy: true };
    const request = await this.deps.pairing.create({
      code: Array.from({ length: PAIRING_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
      channel,
      externalId,
      personId: person.id,
      ttlMs: this.options.ttlMs ?? PAIRING_TTL_MS,
    });
    await this.deps.audit.append({ actor: person.id, action: 'pairing.requested', data: { channel, code: request.code } });
    return { code: request.code, expiresAt: request.expiresAt };
  }

  /** Who a pending code belongs to, without approving it. */
  async lookup(code: string): Promise<{ personId: string; identity: string } | undefined> {
    const request = await this.deps.pairing.findByCode(code);
    return request?.status === 'pending' ? { personId: request.personId, identity: `${request.channel}:${request.externalId}` } : undefined;
  }

  /** Approves a pending code with a role, once. */
  async approve(code: string, role: Role, approvedBy: string | null): Promise<{ identity: string; personId: string } | undefined> {
    const request = await this.deps.pairing.approve(code, role, approvedBy);
    if (!request) return undefined;
    const person = await this.deps.people.grant(request.channel, request.externalId, role);
    await this.deps.audit.append({
      actor: approvedBy ?? 'cli',
      action: 'role.granted',
      data: { personId: person.id, identity: `${request.channel}:${request.externalId}`, role, via: 'pairing' },
    });
    return { identity: `${request.channel}:${request.externalId}`, personId: person.id };
  }
}
