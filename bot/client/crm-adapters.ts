import type { CrmRepo } from '../../store/index.js';
import type { CrmService } from '../../tools/crm/index.js';
import type { ClientDirectory, LeadBook } from './client-ports.js';

/** Who a lead from a client conversation was created by, on the contact: the CRM's own marker for it. */
const BY_CLIENT = 'client';

/**
 * Leads from client conversations go to the CRM: the contact found (same identity or phone) or created.
 * The number a client writes from is proven by the platform; an e-mail typed in a message is not: one that
 * belongs to another contact is kept as words in the lead (for the team to judge), never used to find,
 * complete or link that other contact.
 */
export function crmLeadBook(service: CrmService, crm: CrmRepo): LeadBook {
  return {
    async captureLead(details) {
      let email = details.email;
      let need = details.need;
      if (email) {
        const own = await crm.findContactByIdentity(details.identity.channel, details.identity.externalId);
        const phone = service.normalisePhone(details.phone);
        const someoneElse = (await crm.findDuplicates({ email })).some((d) => d.reason === 'email' && d.contact.id !== own?.id && (!phone || d.contact.phone !== phone));
        if (someoneElse) {
          need = [need, `(they gave the e-mail ${email}, which another contact has)`].filter(Boolean).join(' ');
          email = undefined;
        }
      }
      const { contact, created } = await service.captureLead({
        name: details.name,
        company: details.company ?? null,
        email: email ?? null,
        phone: details.phone ?? null,
        need: need ?? null,
        conversationId: details.conversationId,
        identity: details.identity,
        createdBy: BY_CLIENT,
      });
      return { contactId: contact.id, created };
    },
  };
}

/**
 * A client's company as the team recorded it: the contact of the number they write from, when the team
 * made that contact (a contact a client created by leaving details carries the company they typed, which
 * proves nothing: anyone can say "I'm from Acme").
 */
export function crmDirectory(crm: CrmRepo, service: CrmService): ClientDirectory {
  return {
    async companyOf(phone) {
      const normalised = service.normalisePhone(phone);
      if (!normalised) return undefined;
      const found = (await crm.findDuplicates({ phone: normalised })).filter((d) => d.reason === 'phone' && d.contact.createdBy !== BY_CLIENT);
      const named = found.map((d) => d.contact.companyName).filter((c): c is string => Boolean(c));
      // One company or none: a number the team filed under two companies shows neither.
      return new Set(named).size === 1 ? named[0] : undefined;
    },
  };
}
