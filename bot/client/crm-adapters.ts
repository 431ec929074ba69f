import type { CrmRepo } from '../../store/index.js';
import type { CrmService } from '../../tools/crm/index.js';
import type { ClientDirectory, LeadBook } from './client-ports.js';

/** Who a lead from a client conversation was created by, on the contact: the CRM's own marker for it. */
const BY_CLIENT = 'client';

/** Leads from client conversations go to the CRM: the contact found (same identity, phone or e-mail) or created. */
export function crmLeadBook(service: CrmService): LeadBook {
  return {
    async captureLead(details) {
      const { contact, created } = await service.captureLead({
        name: details.name,
        company: details.company ?? null,
        email: details.email ?? null,
        phone: details.phone ?? null,
        need: details.need ?? null,
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
