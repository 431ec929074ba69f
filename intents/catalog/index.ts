import type { Role } from '../../core/roles.js';
import { INTENT_IDS, type IntentId } from '../ids.js';
import type { IntentDefinition } from '../intent-definition.js';
import { buildStart, buildStatus } from './build.js';
import { cancel, greeting, help } from './conversation.js';
import { crmContactDelete, crmContactFind, crmDealUpdate, crmLeadCreate, crmNoteAdd } from './crm.js';
import { deployCreate, deployRollback, deployStatus } from './deploy.js';
import { domainCheck, domainDnsAdd, domainDnsDelete, domainMap, domainRegister, domainVerify } from './domain.js';
import { knowledgeAsk } from './knowledge.js';
import { notifySubscribe } from './notify.js';
import { outOfScope } from './out-of-scope.js';
import { taskComplete, taskCreate, taskDelete, taskList } from './task.js';

/** One definition per intent id; `satisfies` makes a missing or extra id a compile error. */
const BY_ID = {
  'build.start': buildStart,
  'build.status': buildStatus,
  'deploy.create': deployCreate,
  'deploy.rollback': deployRollback,
  'deploy.status': deployStatus,
  'domain.check': domainCheck,
  'domain.register': domainRegister,
  'domain.map': domainMap,
  'domain.dns.add': domainDnsAdd,
  'domain.dns.delete': domainDnsDelete,
  'domain.verify': domainVerify,
  'crm.lead.create': crmLeadCreate,
  'crm.contact.find': crmContactFind,
  'crm.deal.update': crmDealUpdate,
  'crm.note.add': crmNoteAdd,
  'crm.contact.delete': crmContactDelete,
  'task.create': taskCreate,
  'task.list': taskList,
  'task.complete': taskComplete,
  'task.delete': taskDelete,
  'notify.subscribe': notifySubscribe,
  'knowledge.ask': knowledgeAsk,
  help,
  cancel,
  greeting,
  out_of_scope: outOfScope,
} as const satisfies Record<IntentId, IntentDefinition>;

/**
 * Every intent the bot understands, in the order of `INTENT_IDS`: what it means, its slots, who may
 * start it and the utterances the offline classifier learns it from.
 *
 * @example
 * const training = INTENT_CATALOG.flatMap((d) => d.examples.map((text) => ({ text, label: d.id })));
 */
export const INTENT_CATALOG: readonly IntentDefinition[] = Object.freeze(INTENT_IDS.map((id) => BY_ID[id]));

/**
 * The definition of one intent.
 *
 * @example
 * const { slots, required } = intentDefinition('deploy.create');
 * const partial = slots.partial().safeParse(understanding.slots); // while the dialog still asks
 */
export function intentDefinition(id: IntentId): IntentDefinition {
  return BY_ID[id];
}

/** The intents a role may start, in catalog order (what `help` offers that person). */
export function intentsForRole(role: Role): readonly IntentDefinition[] {
  return INTENT_CATALOG.filter((definition) => definition.roles.includes(role));
}

export { defineIntent, type IntentSpec, type SlotShape } from './define-intent.js';
export {
  SlotsSchema,
  SLOT_SCHEMAS,
  AppSchema,
  EnvironmentSchema,
  RefSchema,
  DomainSchema,
  RegistrableDomainSchema,
  YearsSchema,
  DnsRecordTypeSchema,
  RecordNameSchema,
  RecordValueSchema,
  NameSchema,
  CompanySchema,
  EmailSchema,
  PhoneSchema,
  StageSchema,
  QuerySchema,
  NoteSchema,
  TitleSchema,
  DueSchema,
  AssigneeSchema,
  NotifyEventsSchema,
} from './slot-schemas.js';
