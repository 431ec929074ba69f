import type { CrmContact, CrmDeal, CrmRepo, DuplicateReason, Queryable } from '../../store/index.js';
import { normalisePhone } from './phone.js';
import type { Pipeline } from './pipeline.js';

/** A lead as someone gave it: a client on WhatsApp, a salesperson in chat, a CSV row. */
export interface LeadInput {
  name: string;
  company?: string | null;
  email?: string | null;
  /** Any format: normalised to E.164 with CRM_DEFAULT_COUNTRY for numbers without a country code. */
  phone?: string | null;
  /** What they want ("a new website"). */
  need?: string | null;
  /** The conversation the lead came from: linked to the contact. */
  conversationId?: string | null;
  /** Who wrote it on which channel (a WhatsApp number is also the contact's phone when none was given). */
  identity?: { channel: string; externalId: string; personId?: string | null } | null;
  /** Person id of the staff member who logged it, or `cli` / `client`. */
  createdBy?: string | null;
}

export interface LeadCapture {
  contact: CrmContact;
  /** False when an existing contact was found (same identity, phone or e-mail) and completed instead. */
  created: boolean;
  /** The deal of a new lead: its company's open deal, or one opened at the pipeline's first stage. */
  deal?: CrmDeal;
}

export interface DuplicateMatch {
  contact: CrmContact;
  reason: DuplicateReason;
}

/**
 * The CRM's operations that more than one caller needs: lead capture (the staff action, the client
 * conversation on WhatsApp, CSV import) and duplicate detection. Phones are stored in E.164 and
 * e-mails in lower case, so every caller compares the same spellings.
 */
export class CrmService {
  constructor(
    private readonly deps: { crm: CrmRepo; pipeline: Pipeline; defaultCountry: string },
  ) {}

  get pipeline(): Pipeline {
    return this.deps.pipeline;
  }

  /** E.164, or undefined when it is not a possible phone number. */
  normalisePhone(raw: string | null | undefined): string | undefined {
    return normalisePhone(raw, this.deps.defaultCountry);
  }

  /**
   * Finds or creates the contact behind a lead, for callers that must not ask (a client's conversation):
   * the same channel identity, else the same phone or e-mail, is the same contact (its empty fields are
   * filled, the conversation linked); otherwise a new contact, its company (found by a similar name or
   * created) and a deal at the first stage. A second conversation from the same number finds the same contact.
   */
  async captureLead(input: LeadInput): Promise<LeadCapture> {
    const lead = this.clean(input);
    return this.deps.crm.transaction(async (tx) => {
      const byIdentity = input.identity ? await this.deps.crm.findContactByIdentity(input.identity.channel, input.identity.externalId, tx) : undefined;
      const existing =
        byIdentity ??
        (await this.deps.crm.findDuplicates({ email: lead.email, phone: lead.phone }, tx)).find((d) => d.reason !== 'name')?.contact;
      if (existing) return { contact: await this.complete(existing, lead, input, tx), created: false };
      return this.create(lead, input, tx);
    });
  }

  /** Existing contacts a new lead may duplicate: same e-mail, same phone, or a similar name at the same company. */
  async duplicatesOf(input: Pick<LeadInput, 'name' | 'company' | 'email' | 'phone'>): Promise<DuplicateMatch[]> {
    const lead = this.clean({ ...input, name: input.name });
    const company = lead.company ? await this.deps.crm.findCompany(lead.company) : undefined;
    return this.deps.crm.findDuplicates({ name: lead.name, companyId: company?.id ?? null, email: lead.email, phone: lead.phone });
  }

  /** Creates a new contact (and company, deal) without looking for duplicates: the person chose "add new". */
  async createLead(input: LeadInput): Promise<LeadCapture> {
    const lead = this.clean(input);
    return this.deps.crm.transaction((tx) => this.create(lead, input, tx));
  }

  /** Updates an existing contact with what the lead adds (company, e-mail, phone replace; the need becomes a note if it had one; the name stays). */
  async updateFromLead(contactId: string, input: LeadInput): Promise<CrmContact | undefined> {
    const lead = this.clean(input);
    return this.deps.crm.transaction(async (tx) => {
      const contact = await this.deps.crm.getContact(contactId, tx);
      if (!contact) return undefined;
      const company = lead.company ? await this.deps.crm.findOrCreateCompany(lead.company, tx) : undefined;
      if (lead.need && contact.need && lead.need !== contact.need) {
        await this.deps.crm.addNote({ body: lead.need, contactId, authorId: input.createdBy ?? null }, tx);
      }
      const updated = await this.deps.crm.updateContact(
        contactId,
        {
          // The name stays: it is how the team knows them, and the new one is often shorter ("S. Connor").
          ...(company ? { companyId: company.id } : {}),
          ...(lead.email ? { email: lead.email } : {}),
          ...(lead.phone ? { phone: lead.phone } : {}),
          ...(lead.need && !contact.need ? { need: lead.need } : {}),
        },
        tx,
      );
      await this.link(contactId, input, tx);
      return updated;
    });
  }

  private clean(input: LeadInput): { name: string; company: string | null; email: string | null; phone: string | null; need: string | null } {
    const fromChannel = input.identity?.channel === 'whatsapp' ? `+${input.identity.externalId.replace(/\D/g, '')}` : undefined;
    return {
      name: input.name.trim().replace(/\s+/g, ' '),
      company: input.company?.trim() || null,
      email: input.email?.trim().toLowerCase() || null,
      phone: this.normalisePhone(input.phone) ?? this.normalisePhone(fromChannel) ?? null,
      // "wants a website" → "a website": the need, without the verb the sentence said it with.
      need: input.need?.trim().replace(/^(?:wants?|needs?|would like|looking for|interested in)\s+/i, '') || null,
    };
  }

  private async create(lead: ReturnType<CrmService['clean']>, input: LeadInput, tx: Queryable): Promise<LeadCapture> {
    const company = lead.company ? await this.deps.crm.findOrCreateCompany(lead.company, tx) : undefined;
    const contact = await this.deps.crm.createContact(
      {
        name: lead.name,
        companyId: company?.id ?? null,
        email: lead.email,
        phone: lead.phone,
        need: lead.need,
        source: input.identity?.channel ?? (input.createdBy === 'cli' ? 'import' : 'staff'),
        personId: input.identity?.personId ?? null,
        createdBy: input.createdBy ?? null,
      },
      tx,
    );
    // One open deal per company: a second person at a company already in the pipeline joins its deal.
    const open = company ? await this.deps.crm.openDealOfCompany(company.id, tx) : undefined;
    const deal =
      open ??
      (await this.deps.crm.createDeal(
        { title: `${company?.name ?? contact.name}: ${lead.need ?? 'new lead'}`, companyId: company?.id ?? null, contactId: contact.id, stage: this.deps.pipeline.first },
        tx,
      ));
    await this.link(contact.id, input, tx);
    return { contact: (await this.deps.crm.getContact(contact.id, tx))!, created: true, deal };
  }

  private async complete(existing: CrmContact, lead: ReturnType<CrmService['clean']>, input: LeadInput, tx: Queryable): Promise<CrmContact> {
    const company = lead.company && !existing.companyId ? await this.deps.crm.findOrCreateCompany(lead.company, tx) : undefined;
    if (lead.need && existing.need && lead.need !== existing.need) {
      await this.deps.crm.addNote({ body: lead.need, contactId: existing.id, authorId: input.createdBy ?? null }, tx);
    }
    await this.deps.crm.updateContact(
      existing.id,
      {
        ...(company ? { companyId: company.id } : {}),
        ...(lead.email && !existing.email ? { email: lead.email } : {}),
        ...(lead.phone && !existing.phone ? { phone: lead.phone } : {}),
        ...(lead.need && !existing.need ? { need: lead.need } : {}),
        ...(input.identity?.personId && !existing.personId ? { personId: input.identity.personId } : {}),
      },
      tx,
    );
    await this.link(existing.id, input, tx);
    return (await this.deps.crm.getContact(existing.id, tx))!;
  }

  private async link(contactId: string, input: LeadInput, tx: Queryable): Promise<void> {
    if (input.identity) await this.deps.crm.linkIdentity(contactId, input.identity.channel, input.identity.externalId, tx);
    if (input.conversationId) {
      await this.deps.crm.linkConversation(contactId, input.conversationId, tx);
      await this.deps.crm.addActivity({ kind: 'message', summary: 'Left their details in a conversation', contactId, conversationId: input.conversationId, authorId: input.createdBy ?? null }, tx);
    }
  }
}
