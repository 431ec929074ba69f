import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database, Queryable } from './database.js';

export interface CrmContact {
  id: string;
  number: number;
  name: string;
  companyId: string | null;
  companyName: string | null;
  email: string | null;
  /** E.164, normalised by the caller (tools/crm/phone.ts). */
  phone: string | null;
  need: string | null;
  source: string | null;
  personId: string | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface CrmCompany {
  id: string;
  name: string;
}

export interface CrmDeal {
  id: string;
  number: number;
  title: string;
  companyId: string | null;
  companyName: string | null;
  contactId: string | null;
  contactName: string | null;
  stage: string;
  amount: number | null;
  currency: string | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface CrmNote {
  id: string;
  body: string;
  contactId: string | null;
  companyId: string | null;
  dealId: string | null;
  authorId: string | null;
  createdAt: number;
}

export type CrmRecordKind = 'contact' | 'company' | 'deal' | 'note';

/** One search result: what it is, its id and a label; `score` is 1 for a full-text match, else trigram similarity. */
export interface CrmSearchHit {
  kind: CrmRecordKind;
  id: string;
  label: string;
  score: number;
}

export interface NewCrmContact {
  name: string;
  companyId?: string | null;
  email?: string | null;
  phone?: string | null;
  need?: string | null;
  source?: string | null;
  personId?: string | null;
  createdBy?: string | null;
}

export type CrmContactPatch = Partial<Pick<CrmContact, 'name' | 'companyId' | 'email' | 'phone' | 'need' | 'personId'>>;

/** Why a new contact looks like an existing one. */
export type DuplicateReason = 'email' | 'phone' | 'name';

/** Word similarity (pg_trgm) from which a misspelt word still finds its record ("cyberdine" → Cyberdyne). */
export const CRM_SIMILARITY = 0.5;

const CONTACT_SELECT = `
  SELECT c.id, c.number, c.name, c.company_id, co.name AS company_name, c.email, c.phone, c.need, c.source,
         c.person_id, c.created_by, c.created_at, c.updated_at
  FROM crm_contacts c LEFT JOIN crm_companies co ON co.id = c.company_id`;

const DEAL_SELECT = `
  SELECT d.id, d.number, d.title, d.company_id, co.name AS company_name, d.contact_id, c.name AS contact_name,
         d.stage, d.amount, d.currency, d.created_at, d.updated_at, d.closed_at
  FROM crm_deals d LEFT JOIN crm_companies co ON co.id = d.company_id LEFT JOIN crm_contacts c ON c.id = d.contact_id`;

interface ContactRow {
  id: string;
  number: number;
  name: string;
  company_id: string | null;
  company_name: string | null;
  email: string | null;
  phone: string | null;
  need: string | null;
  source: string | null;
  person_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

interface DealRow {
  id: string;
  number: number;
  title: string;
  company_id: string | null;
  company_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  stage: string;
  amount: string | null;
  currency: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const toContact = (r: ContactRow): CrmContact => ({
  id: r.id,
  number: r.number,
  name: r.name,
  companyId: r.company_id,
  companyName: r.company_name,
  email: r.email,
  phone: r.phone,
  need: r.need,
  source: r.source,
  personId: r.person_id,
  createdBy: r.created_by,
  createdAt: r.created_at.getTime(),
  updatedAt: r.updated_at.getTime(),
});

const toDeal = (r: DealRow): CrmDeal => ({
  id: r.id,
  number: r.number,
  title: r.title,
  companyId: r.company_id,
  companyName: r.company_name,
  contactId: r.contact_id,
  contactName: r.contact_name,
  stage: r.stage,
  amount: r.amount === null ? null : Number(r.amount),
  currency: r.currency,
  createdAt: r.created_at.getTime(),
  updatedAt: r.updated_at.getTime(),
  closedAt: r.closed_at?.getTime() ?? null,
});

/**
 * The CRM's records (migration 11): contacts, companies, deals, notes, activities, tags and their links
 * to channel identities and conversations. Names are compared folded (accents and case, `crm_fold`) and
 * by trigram similarity, so "Jose" finds "José" and "Cyberdine" finds "Cyberdyne".
 */
export class CrmRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Runs `work` in one transaction (lead capture: company, contact, identity and deal together). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // --- companies ---

  /** The company with this name (folded), else the most similar one above the threshold. */
  async findCompany(name: string, q: Queryable = this.db): Promise<CrmCompany | undefined> {
    const { rows } = await q.query<CrmCompany>(
      `SELECT id, name FROM crm_companies
       WHERE doc = crm_fold($1) OR similarity(doc, crm_fold($1)) >= $2
       ORDER BY (doc = crm_fold($1)) DESC, similarity(doc, crm_fold($1)) DESC, created_at LIMIT 1`,
      [name.trim(), CRM_SIMILARITY],
    );
    return rows[0];
  }

  async findOrCreateCompany(name: string, q: Queryable = this.db): Promise<CrmCompany> {
    const existing = await this.findCompany(name, q);
    if (existing) return existing;
    const now = new Date(this.clock.now());
    const company = { id: randomUUID(), name: name.trim() };
    await q.query('INSERT INTO crm_companies (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)', [company.id, company.name, now]);
    return company;
  }

  async getCompany(id: string): Promise<CrmCompany | undefined> {
    const { rows } = await this.db.query<CrmCompany>('SELECT id, name FROM crm_companies WHERE id = $1', [id]);
    return rows[0];
  }

  // --- contacts ---

  async createContact(input: NewCrmContact, q: Queryable = this.db): Promise<CrmContact> {
    const now = new Date(this.clock.now());
    const id = randomUUID();
    await q.query(
      `INSERT INTO crm_contacts (id, name, company_id, email, phone, need, source, person_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [id, input.name.trim(), input.companyId ?? null, input.email ?? null, input.phone ?? null, input.need ?? null, input.source ?? null, input.personId ?? null, input.createdBy ?? null, now],
    );
    return (await this.getContact(id, q))!;
  }

  /** Sets the given fields (a field left out stays as it is). */
  async updateContact(id: string, patch: CrmContactPatch, q: Queryable = this.db): Promise<CrmContact | undefined> {
    const columns: Record<keyof CrmContactPatch, string> = {
      name: 'name',
      companyId: 'company_id',
      email: 'email',
      phone: 'phone',
      need: 'need',
      personId: 'person_id',
    };
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof CrmContactPatch, unknown][];
    const sets = entries.map(([k], i) => `${columns[k]} = $${i + 2}`);
    await q.query(`UPDATE crm_contacts SET ${[...sets, `updated_at = $${entries.length + 2}`].join(', ')} WHERE id = $1`, [
      id,
      ...entries.map(([, v]) => v),
      new Date(this.clock.now()),
    ]);
    return this.getContact(id, q);
  }

  async getContact(id: string, q: Queryable = this.db): Promise<CrmContact | undefined> {
    const { rows } = await q.query<ContactRow>(`${CONTACT_SELECT} WHERE c.id = $1`, [id]);
    return rows[0] && toContact(rows[0]);
  }

  async findContactByNumber(number: number): Promise<CrmContact | undefined> {
    const { rows } = await this.db.query<ContactRow>(`${CONTACT_SELECT} WHERE c.number = $1`, [number]);
    return rows[0] && toContact(rows[0]);
  }

  async findContactByIdentity(channel: string, externalId: string, q: Queryable = this.db): Promise<CrmContact | undefined> {
    const { rows } = await q.query<ContactRow>(
      `${CONTACT_SELECT} JOIN crm_contact_identities i ON i.contact_id = c.id WHERE i.channel = $1 AND i.external_id = $2`,
      [channel, externalId],
    );
    return rows[0] && toContact(rows[0]);
  }

  /**
   * Contacts a new one may duplicate, each with why: the same e-mail (case-insensitive), the same phone
   * (both E.164), or a similar name at the same company. Oldest first.
   */
  async findDuplicates(
    probe: { name?: string | null; companyId?: string | null; email?: string | null; phone?: string | null },
    q: Queryable = this.db,
  ): Promise<{ contact: CrmContact; reason: DuplicateReason }[]> {
    const { rows } = await q.query<ContactRow & { reason: DuplicateReason }>(
      `${CONTACT_SELECT.replace('SELECT', `SELECT CASE
           WHEN $1::text IS NOT NULL AND lower(c.email) = lower($1) THEN 'email'
           WHEN $2::text IS NOT NULL AND c.phone = $2 THEN 'phone'
           ELSE 'name' END AS reason,`)}
       WHERE ($1::text IS NOT NULL AND lower(c.email) = lower($1))
          OR ($2::text IS NOT NULL AND c.phone = $2)
          OR ($3::text IS NOT NULL AND $4::uuid IS NOT NULL AND c.company_id = $4
              AND similarity(crm_fold(c.name), crm_fold($3)) >= $5)
       ORDER BY c.created_at`,
      [probe.email ?? null, probe.phone ?? null, probe.name ?? null, probe.companyId ?? null, CRM_SIMILARITY],
    );
    return rows.map((r) => ({ contact: toContact(r), reason: r.reason }));
  }

  /**
   * Contacts whose name is like `name` (folded, trigram word similarity), optionally at a company like
   * `company`; best first.
   */
  async findContactsByName(name: string, company?: string, limit = 10): Promise<CrmContact[]> {
    const { rows } = await this.db.query<ContactRow & { score: number }>(
      `${CONTACT_SELECT.replace('SELECT', 'SELECT word_similarity(crm_fold($1), crm_fold(c.name)) AS score,')}
       WHERE word_similarity(crm_fold($1), crm_fold(c.name)) >= $2
         AND ($3::text IS NULL OR (co.id IS NOT NULL AND (co.doc = crm_fold($3) OR word_similarity(crm_fold($3), co.doc) >= $2)))
       ORDER BY score DESC, c.created_at LIMIT $4`,
      [name.trim(), CRM_SIMILARITY, company?.trim() || null, limit],
    );
    return rows.map(toContact);
  }

  async contactsAtCompany(companyId: string): Promise<CrmContact[]> {
    const { rows } = await this.db.query<ContactRow>(`${CONTACT_SELECT} WHERE c.company_id = $1 ORDER BY c.name`, [companyId]);
    return rows.map(toContact);
  }

  async listContacts(): Promise<CrmContact[]> {
    const { rows } = await this.db.query<ContactRow>(`${CONTACT_SELECT} ORDER BY c.number`);
    return rows.map(toContact);
  }

  async linkIdentity(contactId: string, channel: string, externalId: string, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO crm_contact_identities (channel, external_id, contact_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel, external_id) DO NOTHING`,
      [channel, externalId, contactId, new Date(this.clock.now())],
    );
  }

  async identitiesOf(contactId: string): Promise<{ channel: string; externalId: string }[]> {
    const { rows } = await this.db.query<{ channel: string; external_id: string }>(
      'SELECT channel, external_id FROM crm_contact_identities WHERE contact_id = $1 ORDER BY channel',
      [contactId],
    );
    return rows.map((r) => ({ channel: r.channel, externalId: r.external_id }));
  }

  async linkConversation(contactId: string, conversationId: string, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO crm_contact_conversations (contact_id, conversation_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [contactId, conversationId, new Date(this.clock.now())],
    );
  }

  async conversationsOf(contactId: string, q: Queryable = this.db): Promise<string[]> {
    const { rows } = await q.query<{ conversation_id: string }>('SELECT conversation_id FROM crm_contact_conversations WHERE contact_id = $1', [contactId]);
    return rows.map((r) => r.conversation_id);
  }

  /** How much hangs off a contact: for a merge preview and an erasure plan. */
  async countsFor(contactId: string): Promise<{ deals: number; notes: number; activities: number; identities: number; conversations: number; tasks: number }> {
    const { rows } = await this.db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM crm_deals WHERE contact_id = $1) AS deals,
              (SELECT count(*)::int FROM crm_notes WHERE contact_id = $1) AS notes,
              (SELECT count(*)::int FROM crm_activities WHERE contact_id = $1) AS activities,
              (SELECT count(*)::int FROM crm_contact_identities WHERE contact_id = $1) AS identities,
              (SELECT count(*)::int FROM crm_contact_conversations WHERE contact_id = $1) AS conversations,
              (SELECT count(*)::int FROM tasks WHERE crm_contact_id = $1 AND status <> 'deleted') AS tasks`,
      [contactId],
    );
    const r = rows[0]!;
    return { deals: r.deals!, notes: r.notes!, activities: r.activities!, identities: r.identities!, conversations: r.conversations!, tasks: r.tasks! };
  }

  /**
   * Folds `dropId` into `keepId` in one transaction: identities, conversations, deals, notes, activities,
   * tags and tasks move over; fields the kept contact lacks are taken from the other; the other is deleted.
   */
  async merge(keepId: string, dropId: string): Promise<CrmContact | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<ContactRow>(`${CONTACT_SELECT} WHERE c.id = ANY($1::uuid[]) FOR UPDATE OF c`, [[keepId, dropId]]);
      const keep = rows.find((r) => r.id === keepId);
      const drop = rows.find((r) => r.id === dropId);
      if (!keep || !drop) return undefined;
      await tx.query(
        `INSERT INTO crm_contact_identities (channel, external_id, contact_id, created_at)
         SELECT channel, external_id, $1, created_at FROM crm_contact_identities WHERE contact_id = $2
         ON CONFLICT (channel, external_id) DO UPDATE SET contact_id = EXCLUDED.contact_id`,
        [keepId, dropId],
      );
      await tx.query(
        `INSERT INTO crm_contact_conversations (contact_id, conversation_id, created_at)
         SELECT $1, conversation_id, created_at FROM crm_contact_conversations WHERE contact_id = $2 ON CONFLICT DO NOTHING`,
        [keepId, dropId],
      );
      for (const table of ['crm_deals', 'crm_notes', 'crm_activities']) {
        await tx.query(`UPDATE ${table} SET contact_id = $1 WHERE contact_id = $2`, [keepId, dropId]);
      }
      await tx.query('UPDATE tasks SET crm_contact_id = $1 WHERE crm_contact_id = $2', [keepId, dropId]);
      await tx.query(
        `INSERT INTO crm_tags (record_kind, record_id, tag) SELECT 'contact', $1, tag FROM crm_tags WHERE record_kind = 'contact' AND record_id = $2
         ON CONFLICT DO NOTHING`,
        [keepId, dropId],
      );
      await tx.query(`DELETE FROM crm_tags WHERE record_kind = 'contact' AND record_id = $1`, [dropId]);
      await tx.query(
        `UPDATE crm_contacts SET company_id = coalesce(company_id, $2), email = coalesce(email, $3), phone = coalesce(phone, $4),
           need = coalesce(need, $5), person_id = coalesce(person_id, $6), updated_at = $7 WHERE id = $1`,
        [keepId, drop.company_id, drop.email, drop.phone, drop.need, drop.person_id, new Date(this.clock.now())],
      );
      await tx.query('DELETE FROM crm_contacts WHERE id = $1', [dropId]);
      return this.getContact(keepId, tx);
    });
  }

  // --- deals ---

  async createDeal(
    input: { title: string; companyId?: string | null; contactId?: string | null; stage: string; amount?: number | null; currency?: string | null },
    q: Queryable = this.db,
  ): Promise<CrmDeal> {
    const now = new Date(this.clock.now());
    const id = randomUUID();
    await q.query(
      `INSERT INTO crm_deals (id, title, company_id, contact_id, stage, amount, currency, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [id, input.title.trim(), input.companyId ?? null, input.contactId ?? null, input.stage, input.amount ?? null, input.currency ?? null, now],
    );
    return (await this.getDeal(id, q))!;
  }

  async getDeal(id: string, q: Queryable = this.db): Promise<CrmDeal | undefined> {
    const { rows } = await q.query<DealRow>(`${DEAL_SELECT} WHERE d.id = $1`, [id]);
    return rows[0] && toDeal(rows[0]);
  }

  /** Deals whose company, title or contact is like `text` (folded, trigram word similarity); best first. */
  async findDeals(text: string, limit = 10): Promise<CrmDeal[]> {
    const { rows } = await this.db.query<DealRow & { score: number }>(
      `${DEAL_SELECT.replace(
        'SELECT',
        `SELECT greatest(word_similarity(crm_fold($1), coalesce(co.doc, '')), word_similarity(crm_fold($1), d.doc),
                         word_similarity(crm_fold($1), crm_fold(coalesce(c.name, '')))) AS score,`,
      )}
       WHERE word_similarity(crm_fold($1), coalesce(co.doc, '')) >= $2 OR word_similarity(crm_fold($1), d.doc) >= $2
          OR word_similarity(crm_fold($1), crm_fold(coalesce(c.name, ''))) >= $2
       ORDER BY score DESC, d.closed_at IS NOT NULL, d.updated_at DESC LIMIT $3`,
      [text.trim(), CRM_SIMILARITY, limit],
    );
    return rows.map(toDeal);
  }

  async getDealByNumber(number: number): Promise<CrmDeal | undefined> {
    const { rows } = await this.db.query<DealRow>(`${DEAL_SELECT} WHERE d.number = $1`, [number]);
    return rows[0] && toDeal(rows[0]);
  }

  /** The company's newest deal that is not closed, if any. */
  async openDealOfCompany(companyId: string, q: Queryable = this.db): Promise<CrmDeal | undefined> {
    const { rows } = await q.query<DealRow>(`${DEAL_SELECT} WHERE d.company_id = $1 AND d.closed_at IS NULL ORDER BY d.created_at DESC LIMIT 1`, [companyId]);
    return rows[0] && toDeal(rows[0]);
  }

  async listDeals(): Promise<CrmDeal[]> {
    const { rows } = await this.db.query<DealRow>(`${DEAL_SELECT} ORDER BY d.number`);
    return rows.map(toDeal);
  }

  async dealsOfContact(contactId: string): Promise<CrmDeal[]> {
    const { rows } = await this.db.query<DealRow>(`${DEAL_SELECT} WHERE d.contact_id = $1 ORDER BY d.number`, [contactId]);
    return rows.map(toDeal);
  }

  /** Moves a deal to `stage`; `closed` stamps (or clears) the closing time; an amount given replaces the old one. */
  async updateDeal(id: string, change: { stage: string; closed: boolean; amount?: number | null; currency?: string | null }): Promise<CrmDeal | undefined> {
    const now = new Date(this.clock.now());
    await this.db.query(
      `UPDATE crm_deals SET stage = $2, closed_at = CASE WHEN $3 THEN coalesce(closed_at, $4) ELSE NULL END,
         amount = coalesce($5, amount), currency = coalesce($6, currency), updated_at = $4 WHERE id = $1`,
      [id, change.stage, change.closed, now, change.amount ?? null, change.currency ?? null],
    );
    return this.getDeal(id);
  }

  // --- notes, activities, tags ---

  async addNote(input: { body: string; contactId?: string | null; companyId?: string | null; dealId?: string | null; authorId?: string | null }, q: Queryable = this.db): Promise<CrmNote> {
    const note: CrmNote = {
      id: randomUUID(),
      body: input.body.trim(),
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      dealId: input.dealId ?? null,
      authorId: input.authorId ?? null,
      createdAt: this.clock.now(),
    };
    await q.query(
      'INSERT INTO crm_notes (id, contact_id, company_id, deal_id, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [note.id, note.contactId, note.companyId, note.dealId, note.body, note.authorId, new Date(note.createdAt)],
    );
    return note;
  }

  async notesOf(contactId: string): Promise<CrmNote[]> {
    const { rows } = await this.db.query<{ id: string; body: string; contact_id: string | null; company_id: string | null; deal_id: string | null; author_id: string | null; created_at: Date }>(
      'SELECT * FROM crm_notes WHERE contact_id = $1 ORDER BY created_at',
      [contactId],
    );
    return rows.map((r) => ({ id: r.id, body: r.body, contactId: r.contact_id, companyId: r.company_id, dealId: r.deal_id, authorId: r.author_id, createdAt: r.created_at.getTime() }));
  }

  async addActivity(
    input: { kind: 'call' | 'message' | 'meeting'; summary: string; contactId?: string | null; dealId?: string | null; conversationId?: string | null; authorId?: string | null },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      'INSERT INTO crm_activities (id, contact_id, deal_id, kind, summary, conversation_id, author_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [randomUUID(), input.contactId ?? null, input.dealId ?? null, input.kind, input.summary, input.conversationId ?? null, input.authorId ?? null, new Date(this.clock.now())],
    );
  }

  async tag(kind: 'contact' | 'company' | 'deal', recordId: string, tag: string): Promise<void> {
    await this.db.query('INSERT INTO crm_tags (record_kind, record_id, tag) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [kind, recordId, tag.trim().toLowerCase()]);
  }

  // --- search ---

  /**
   * Contacts, companies, deals and notes matching `text`: PostgreSQL full-text search on accent-folded
   * words, or trigram word similarity for small typos. Best first.
   */
  async search(text: string, limit = 10): Promise<CrmSearchHit[]> {
    const { rows } = await this.db.query<CrmSearchHit>(
      `WITH q AS (SELECT crm_fold($1) AS t, plainto_tsquery('simple', crm_fold($1)) AS ts)
       SELECT * FROM (
         SELECT 'contact' AS kind, c.id, c.name AS label,
                CASE WHEN c.search @@ q.ts THEN 1 ELSE word_similarity(q.t, c.doc) END AS score
           FROM crm_contacts c, q WHERE c.search @@ q.ts OR word_similarity(q.t, c.doc) >= $2
         UNION ALL
         SELECT 'company', co.id, co.name, CASE WHEN to_tsvector('simple', co.doc) @@ q.ts THEN 1 ELSE word_similarity(q.t, co.doc) END
           FROM crm_companies co, q WHERE to_tsvector('simple', co.doc) @@ q.ts OR word_similarity(q.t, co.doc) >= $2
         UNION ALL
         SELECT 'deal', d.id, d.title, CASE WHEN d.search @@ q.ts THEN 1 ELSE word_similarity(q.t, d.doc) END
           FROM crm_deals d, q WHERE d.search @@ q.ts OR word_similarity(q.t, d.doc) >= $2
         UNION ALL
         SELECT 'note', n.id, left(n.body, 80), CASE WHEN n.search @@ q.ts THEN 1 ELSE word_similarity(q.t, n.doc) END
           FROM crm_notes n, q WHERE n.search @@ q.ts OR word_similarity(q.t, n.doc) >= $2
       ) hits ORDER BY score DESC, label LIMIT $3`,
      [text.trim(), CRM_SIMILARITY, limit],
    );
    return rows.map((r) => ({ ...r, score: Number(r.score) }));
  }
}
