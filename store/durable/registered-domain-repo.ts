import type { Clock } from '../../core/index.js';
import type { Database } from './database.js';

/** A domain the agency bought (tools/domains, `domain.register`). Money in cents. */
export interface RegisteredDomain {
  /** Punycode, lower-case. */
  domain: string;
  /** `porkbun` | `sandbox`. */
  registrar: string;
  years: number;
  costCents: number;
  renewalCents: number;
  currency: string;
  premium: boolean;
  orderId: string | null;
  idempotencyKey: string;
  /** The person who confirmed the purchase, when known. */
  registeredBy: string | null;
  conversationId: string | null;
  registeredAt: number;
  expiresAt: number;
}

export type NewRegisteredDomain = Omit<RegisteredDomain, 'registeredAt' | 'expiresAt' | 'orderId' | 'registeredBy' | 'conversationId'> &
  Partial<Pick<RegisteredDomain, 'orderId' | 'registeredBy' | 'conversationId'>>;

interface Row {
  domain: string;
  registrar: string;
  years: number;
  cost_cents: number;
  renewal_cents: number;
  currency: string;
  premium: boolean;
  order_id: string | null;
  idempotency_key: string;
  registered_by: string | null;
  conversation_id: string | null;
  registered_at: Date;
  expires_at: Date;
}

const toDomain = (r: Row): RegisteredDomain => ({
  domain: r.domain,
  registrar: r.registrar,
  years: r.years,
  costCents: r.cost_cents,
  renewalCents: r.renewal_cents,
  currency: r.currency,
  premium: r.premium,
  orderId: r.order_id,
  idempotencyKey: r.idempotency_key,
  registeredBy: r.registered_by,
  conversationId: r.conversation_id,
  registeredAt: r.registered_at.getTime(),
  expiresAt: r.expires_at.getTime(),
});

/**
 * The domains the agency registered, whatever the registrar: the sandbox registrar's account, and the
 * record `switchboard domains list` reads. A domain has one row; recording it again changes nothing but
 * fills in who confirmed it when that was not known.
 */
export class RegisteredDomainRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Stores a registration; `created` is false when the domain was already recorded (the row as stored is returned). */
  async record(input: NewRegisteredDomain): Promise<{ created: boolean; domain: RegisteredDomain }> {
    const now = this.clock.now();
    const expires = new Date(now);
    expires.setUTCFullYear(expires.getUTCFullYear() + input.years);
    const { rows } = await this.db.query<Row>(
      `INSERT INTO registered_domains (domain, registrar, years, cost_cents, renewal_cents, currency, premium, order_id,
         idempotency_key, registered_by, conversation_id, registered_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING RETURNING *`,
      [
        input.domain,
        input.registrar,
        input.years,
        input.costCents,
        input.renewalCents,
        input.currency,
        input.premium,
        input.orderId ?? null,
        input.idempotencyKey,
        input.registeredBy ?? null,
        input.conversationId ?? null,
        new Date(now),
        expires,
      ],
    );
    if (rows[0]) return { created: true, domain: toDomain(rows[0]) };
    const { rows: existing } = await this.db.query<Row>(
      `UPDATE registered_domains SET registered_by = COALESCE(registered_by, $2), conversation_id = COALESCE(conversation_id, $3)
       WHERE domain = $1 RETURNING *`,
      [input.domain, input.registeredBy ?? null, input.conversationId ?? null],
    );
    if (existing[0]) return { created: false, domain: toDomain(existing[0]) };
    // The idempotency key belongs to another domain's row: a caller bug, never a second purchase.
    throw new Error(`idempotency key ${input.idempotencyKey} already recorded for another domain`);
  }

  async find(domain: string): Promise<RegisteredDomain | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM registered_domains WHERE domain = $1', [domain.toLowerCase()]);
    return rows[0] && toDomain(rows[0]);
  }

  async findByIdempotencyKey(key: string): Promise<RegisteredDomain | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM registered_domains WHERE idempotency_key = $1', [key]);
    return rows[0] && toDomain(rows[0]);
  }

  /** Newest first; only one registrar's when `registrar` is given. */
  async list(registrar?: string): Promise<RegisteredDomain[]> {
    const { rows } = registrar
      ? await this.db.query<Row>('SELECT * FROM registered_domains WHERE registrar = $1 ORDER BY registered_at DESC, domain', [registrar])
      : await this.db.query<Row>('SELECT * FROM registered_domains ORDER BY registered_at DESC, domain');
    return rows.map(toDomain);
  }
}
