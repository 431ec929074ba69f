import type { IntentId, SlotName, Slots } from '../ids.js';
import type { UnderstandContext } from '../understander.js';
import { findAmounts } from './extract-amount.js';
import { extractAssignee } from './extract-assignee.js';
import { findContactParty, findDealParty } from './extract-contact.js';
import { findDnsRecord, type DnsRecordMatch } from './extract-dns-record.js';
import { joinSpokenDots, pickDomain } from './extract-domain.js';
import { extractDue } from './extract-due.js';
import { extractYears } from './extract-duration.js';
import { findEmails } from './extract-email.js';
import { extractEnv } from './extract-env.js';
import { extractEvents } from './extract-events.js';
import { extractNeed } from './extract-need.js';
import { extractNote } from './extract-note.js';
import { extractPhone } from './extract-phone.js';
import { extractQuery } from './extract-query.js';
import { findRef } from './extract-ref.js';
import { extractStage } from './extract-stage.js';
import { extractTaskReference, extractTaskTitle } from './extract-task-title.js';
import { matchApp } from './match-app.js';
import { prepareText, safely } from './prepare-text.js';
import { maskSpans, type Span } from './slot-match.js';
import { splitTaskRequests } from './split-task-requests.js';

export interface ExtractSlotsOptions {
  /**
   * ISO 3166 region for phone numbers written without a country code, e.g. the agency's own
   * country or the WhatsApp sender's. Without it only "+44 …"/"0044 …" numbers are read.
   */
  defaultCountry?: string;
}

/**
 * The slots each intent takes. Extractors run only for these, so "go live" in a notification
 * request is not read as an environment and a phone number in a task is not read as a lead's.
 */
/** Intents about where code runs: a bare "live" there means production. */
const DEPLOY_CONTEXT = new Set<IntentId>(['deploy.create', 'deploy.rollback', 'deploy.status', 'build.start', 'build.status', 'domain.map']);

export const SLOTS_BY_INTENT: Readonly<Record<IntentId, readonly SlotName[]>> = {
  'build.start': ['app', 'ref', 'env'],
  'build.status': ['app', 'ref', 'env'],
  'deploy.create': ['app', 'env', 'ref'],
  'deploy.rollback': ['app', 'env', 'ref'],
  'deploy.status': ['app', 'env', 'ref'],
  'domain.check': ['domain'],
  'domain.register': ['domain', 'years'],
  'domain.map': ['domain', 'app', 'env'],
  'domain.dns.add': ['domain', 'recordType', 'recordName', 'recordValue'],
  'domain.dns.delete': ['domain', 'recordType', 'recordName', 'recordValue'],
  'domain.verify': ['domain'],
  // `note` carries what the lead wants ("wants a website"); the schema has always taken it.
  'crm.lead.create': ['name', 'company', 'email', 'phone', 'note'],
  'crm.contact.find': ['query', 'name', 'company', 'email', 'phone'],
  'crm.deal.update': ['stage', 'company', 'name', 'note'],
  'crm.note.add': ['note', 'name', 'company', 'email'],
  'crm.contact.delete': ['name', 'company', 'email', 'phone'],
  'task.create': ['title', 'due', 'assignee'],
  'task.list': ['due', 'assignee'],
  'task.complete': ['title'],
  'task.delete': ['title'],
  'notify.subscribe': ['events', 'app'],
  'knowledge.ask': ['query'],
  help: [],
  // "cancel the shop build", "stop the prod deploy": which run to stop.
  cancel: ['app', 'env'],
  greeting: [],
  out_of_scope: [],
};

/**
 * Reads the slots of `intent` from `text`, already normalised to the `Slots` contract. Only slots
 * that were found are present. Never throws: a failing extractor leaves its slot empty and the
 * dialog asks for it. Text beyond MAX_SLOT_TEXT_LENGTH characters is ignored.
 *
 * @example
 * extractSlots('remind me to call John tomorrow at five', 'task.create', {
 *   now: Date.parse('2026-10-24T22:30:00Z'), timezone: 'Europe/London', apps: [],
 * });
 * // → { title: 'call John', due: '2026-10-25T17:00:00+00:00' }
 *
 * extractSlots('ship the marketing site to prod from main', 'deploy.create', { ...ctx, apps: ['marketing-site'] });
 * // → { app: 'marketing-site', env: 'production', ref: 'main' }
 */
export function extractSlots(
  text: string,
  intent: IntentId,
  context: UnderstandContext,
  options: ExtractSlotsOptions = {},
): Slots {
  return safely(() => extractSlotsUnsafe(prepareText(text), intent, context, options), {});
}

function extractSlotsUnsafe(prepared: string, intent: IntentId, context: UnderstandContext, options: ExtractSlotsOptions): Slots {
  const text = intent.startsWith('domain.') ? joinSpokenDots(prepared) : prepared;
  const wanted = new Set<SlotName>(SLOTS_BY_INTENT[intent] ?? []);
  const slots: Slots = {};
  if (wanted.size === 0 || text.trim() === '') return slots;
  const wants = (slot: SlotName) => wanted.has(slot);
  const set = <K extends keyof Slots>(slot: K, read: () => Slots[K] | undefined) => {
    if (!wants(slot) || slots[slot] !== undefined) return;
    const value = safely(read, undefined);
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) slots[slot] = value;
  };

  // --- deploys and builds ---
  const ref = wants('ref') || wants('app') ? safely(() => findRef(text), undefined) : undefined;
  set('ref', () => ref?.value);
  // A branch's name is not an environment: "build from the staging branch" names no environment.
  set('env', () => extractEnv(ref?.spans ? maskSpans(text, ref.spans) : text, { deployContext: DEPLOY_CONTEXT.has(intent) }));

  // --- domains and DNS ---
  let dns: DnsRecordMatch | undefined;
  if (wants('recordType') || wants('recordName') || wants('recordValue')) {
    dns = safely(() => findDnsRecord(text), undefined);
    set('recordType', () => dns?.record.recordType);
    set('recordName', () => dns?.record.recordName);
    set('recordValue', () => dns?.record.recordValue);
  }
  set('domain', () => {
    // The host a record points at ("to cname.vercel-dns.com") is its value, not the zone.
    const domain = pickDomain(text, intent, dns?.valueSpan ? [dns.valueSpan] : []);
    if (!domain) return undefined;
    switch (intent) {
      case 'domain.check':
      case 'domain.register':
        // Registrars sell registrable names: "register www.acme.co.uk" means acme.co.uk.
        return domain.registrable;
      case 'domain.dns.add':
      case 'domain.dns.delete':
        // DNS zones are registrable domains; the rest of the host is the record's name.
        if (domain.subdomain && wants('recordName') && slots.recordName === undefined) slots.recordName = domain.subdomain;
        return domain.registrable;
      default:
        // Mapping and verification act on the exact host ("map shop.acme.com to …").
        return domain.hostname;
    }
  });
  // "the MX records on acme.com", "an A record for acme.com → 1.2.3.4": a record described on the
  // bare zone with no other name lives at its apex. Not a CNAME, which cannot live there.
  if (
    (intent === 'domain.dns.add' || intent === 'domain.dns.delete') &&
    slots.recordName === undefined &&
    slots.domain !== undefined &&
    slots.recordType !== undefined &&
    slots.recordType !== 'CNAME'
  ) {
    slots.recordName = '@';
  }
  set('years', () => extractYears(text));

  // --- apps (after refs and addresses, whose words must not count as app names) ---
  set('app', () => {
    const hidden: Span[] = [...(ref?.spans ?? []), ...findEmails(text).flatMap((email) => email.spans)];
    return matchApp(maskSpans(text, hidden), context.apps);
  });

  // --- people and CRM ---
  if (intent === 'crm.note.add') {
    const note = extractNote(text);
    set('note', () => note.note);
    // A note's subject is its `name`, a company's as well as a person's ("note on Acme: …").
    set('name', () => note.name ?? note.company);
    set('company', () => (note.name ? note.company : undefined));
    // An address inside the note's text ("invoices go to accounts@acme.com") is not whom it is for.
    set('email', () => findEmails(text).find((email) => !note.note?.includes(email.value))?.value);
  }
  if (intent !== 'crm.note.add') set('email', () => findEmails(text)[0]?.value);
  set('phone', () => extractPhone(text, { defaultCountry: options.defaultCountry }));
  if (intent === 'crm.lead.create' || intent === 'crm.contact.delete' || intent === 'crm.contact.find') {
    const purpose = intent === 'crm.lead.create' ? 'lead' : intent === 'crm.contact.find' ? 'find' : 'delete';
    const party = safely(() => findContactParty(text, purpose), { spans: [] });
    set('name', () => party.name);
    set('company', () => party.company);
  }
  if (intent === 'crm.deal.update') {
    set('stage', () => extractStage(text));
    const party = safely(() => findDealParty(text), { spans: [] });
    set('company', () => party.company);
    set('name', () => party.name);
    // Slots has no amount: the deal's value travels in the note ("Amount: 1200 USD").
    set('note', () => {
      const amount = findAmounts(text)[0]?.value;
      return amount ? `Amount: ${amount.value}${amount.currency ? ` ${amount.currency}` : ''}` : undefined;
    });
  }
  if (intent === 'crm.lead.create') set('note', () => extractNeed(text));
  if (intent === 'crm.contact.find' || intent === 'knowledge.ask') set('query', () => extractQuery(text, intent));

  // --- tasks ---
  if (intent === 'task.create') {
    // "… call John tomorrow at five and send Acme the proposal by Friday": these slots describe the
    // first task; splitTaskRequests gives the caller the others.
    const first = safely(() => splitTaskRequests(text, context)[0], undefined) ?? text;
    set('due', () => extractDue(first, context));
    set('title', () => extractTaskTitle(first, context));
    set('assignee', () => extractAssignee(first) ?? extractAssignee(text));
  }
  if (intent === 'task.list') {
    set('due', () => extractDue(text, context));
    set('assignee', () => extractAssignee(text, { trailingFor: true }));
  }
  if (intent === 'task.complete' || intent === 'task.delete') set('title', () => extractTaskReference(text));

  // --- notifications ---
  set('events', () => extractEvents(text));
  return slots;
}
