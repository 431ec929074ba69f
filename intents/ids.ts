/** Intent and slot ids: the public contract of DESIGN.md. Renaming one breaks scripts and users. */
export const INTENT_IDS = [
  'build.start',
  'build.status',
  'deploy.create',
  'deploy.rollback',
  'deploy.status',
  'domain.check',
  'domain.register',
  'domain.map',
  'domain.dns.add',
  'domain.dns.delete',
  'domain.verify',
  'crm.lead.create',
  'crm.contact.find',
  'crm.deal.update',
  'crm.note.add',
  'crm.contact.delete',
  'task.create',
  'task.list',
  'task.complete',
  'task.delete',
  'notify.subscribe',
  'knowledge.ask',
  'help',
  'cancel',
  'greeting',
  'out_of_scope',
] as const;
export type IntentId = (typeof INTENT_IDS)[number];

export function isIntentId(value: string): value is IntentId {
  return (INTENT_IDS as readonly string[]).includes(value);
}

export const SLOT_NAMES = [
  'app',
  'env',
  'ref',
  'domain',
  'years',
  'recordType',
  'recordName',
  'recordValue',
  'name',
  'company',
  'email',
  'phone',
  'stage',
  'query',
  'note',
  'title',
  'due',
  'assignee',
  'events',
] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

export const ENVIRONMENTS = ['production', 'staging', 'preview'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export const NOTIFY_EVENTS = [
  'build.succeeded',
  'build.failed',
  'deploy.live',
  'deploy.failed',
  'deploy.rolled_back',
  'domain.verified',
  'domain.failed',
  'task.due',
  // From client conversations (bot/client): the team hears of them in subscribed chats, else owners and admins.
  'lead.created',
  'handoff.requested',
  'client.call_requested',
  'client.erase_requested',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/**
 * Names events had before, and the event each now is. Subscriptions stored under an old name keep
 * receiving the event (the fan-out looks both up), and an understanding that still says the old name
 * is read as the new one.
 */
export const NOTIFY_EVENT_OLD_NAMES: Readonly<Record<string, NotifyEvent>> = { 'build.finished': 'build.succeeded' };

/** The names a subscription to `event` may be stored under: its own, then its old ones. */
export function notifyEventNames(event: string): string[] {
  return [event, ...Object.entries(NOTIFY_EVENT_OLD_NAMES).filter(([, now]) => now === event).map(([old]) => old)];
}

/** Slot values as every understander returns them (already normalised). */
export interface Slots {
  app?: string;
  env?: Environment;
  ref?: string;
  /** Lower-case ASCII (punycode for IDNs). */
  domain?: string;
  years?: number;
  recordType?: DnsRecordType;
  recordName?: string;
  recordValue?: string;
  name?: string;
  company?: string;
  email?: string;
  /** E.164, e.g. +447911123456. */
  phone?: string;
  stage?: string;
  query?: string;
  note?: string;
  title?: string;
  /** ISO 8601 instant with offset, resolved in the user's time zone. */
  due?: string;
  assignee?: string;
  events?: NotifyEvent[];
}
