import type { CrmContact, CrmDeal, CrmRepo } from '../../store/index.js';
import type { RecordQuery, RecordSource } from '../resolve/index.js';
import { contactLabel, dealLabel } from './crm-labels.js';

/** "José Müller" → "jose muller": the resolver compares words as typed, so a record offers both spellings. */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Contacts as records found by description (tools/resolve): "sarah from cyberdyne", "#12", "the lead
 * from yesterday". The query is one bounded, trigram-indexed look-up (`findContactsByName`).
 */
export function contactSource(crm: CrmRepo): RecordSource<CrmContact> {
  return {
    noun: 'contact',
    plural: 'contacts',
    nounWords: ['contact', 'contacts', 'lead', 'leads', 'client', 'clients', 'customer', 'person', 'guy', 'woman', 'man'],
    supports: { owner: false, number: true, organisation: true },
    find: async (query) => {
      if (query.number !== undefined) return [await crm.findContactByNumber(query.number)].filter((c): c is CrmContact => c !== undefined);
      if (query.words.length) return crm.findContactsByName(query.words.join(' '), query.organisation, query.limit);
      return query.organisation ? companyContacts(crm, query) : [];
    },
    get: (key) => crm.getContact(key),
    facts: (c) => ({
      key: c.id,
      text: `${c.name} ${foldAccents(c.name)} ${c.email ?? ''}`,
      ownerIds: [],
      organisation: c.companyName ? `${c.companyName} ${foldAccents(c.companyName)}` : null,
      number: c.number,
      createdAt: c.createdAt,
    }),
    label: (c) => contactLabel(c),
  };
}

/** Deals as records found by description: "the acme deal", "deal 3", "cyberdyne". */
export function dealSource(crm: CrmRepo): RecordSource<CrmDeal> {
  return {
    noun: 'deal',
    plural: 'deals',
    nounWords: ['deal', 'deals', 'opportunity', 'opportunities', 'account'],
    supports: { owner: false, number: true, organisation: true },
    find: async (query) => {
      if (query.number !== undefined) return [await crm.getDealByNumber(query.number)].filter((d): d is CrmDeal => d !== undefined);
      const text = [...query.words, query.organisation ?? ''].join(' ').trim();
      return text ? crm.findDeals(text, query.limit) : [];
    },
    get: (key) => crm.getDeal(key),
    facts: (d) => ({
      key: d.id,
      text: [d.title, foldAccents(d.title), d.contactName ?? '', foldAccents(d.contactName ?? '')].join(' '),
      ownerIds: [],
      organisation: d.companyName ? `${d.companyName} ${foldAccents(d.companyName)}` : null,
      number: d.number,
      createdAt: d.createdAt,
    }),
    label: (d) => `${dealLabel(d)}${d.companyName ? `, ${d.companyName}` : ''}`,
  };
}

async function companyContacts(crm: CrmRepo, query: RecordQuery): Promise<CrmContact[]> {
  const company = await crm.findCompany(query.organisation!);
  return company ? (await crm.contactsAtCompany(company.id)).slice(0, query.limit) : [];
}
