// Slot extraction shared by every understander (offline classifier, Claude, hybrid).
// Most used first: the entry point, then each extractor on its own.
export { extractSlots, SLOTS_BY_INTENT, type ExtractSlotsOptions } from './extract-slots.js';
export { extractDue, findDue, findAllDue, type DueContext } from './extract-due.js';
export { extractDomain, findDomains, pickDomain, parseDomain, type DomainMatch, type FindDomainsOptions } from './extract-domain.js';
export { extractEmail, findEmails } from './extract-email.js';
export { extractPhone, findPhones, type PhoneOptions } from './extract-phone.js';
export { extractEnv, findEnvs, pickEnv } from './extract-env.js';
export { matchApp, findApp, appNames, type AppNames } from './match-app.js';
export { extractDnsRecord, findDnsRecord, type DnsRecord, type DnsRecordMatch } from './extract-dns-record.js';
export { extractYears, findYears, MIN_REGISTRATION_YEARS, MAX_REGISTRATION_YEARS } from './extract-duration.js';
export { extractAmount, findAmounts, type Amount } from './extract-amount.js';
export { extractRef, findRef, type RefKind, type RefMatch } from './extract-ref.js';
export { extractTaskTitle, extractTaskReference, tidyTaskTitle } from './extract-task-title.js';
export { splitTaskRequests, findTaskClauses, MAX_TASK_CLAUSES, type TaskClause, type TaskClauses } from './split-task-requests.js';
export { readClauseStart, leadingTaskVerb, removeFillers, stripLeadIn, type ClauseStartKind, type ClauseStartOptions } from './task-phrases.js';
export { extractAssignee, findAssignee, SELF_ASSIGNEE, type AssigneeOptions } from './extract-assignee.js';
export { extractContactParty, extractDealParty, findContactParty, findDealParty, type ContactParty } from './extract-contact.js';
export { extractNote, type NoteDetails } from './extract-note.js';
export { extractNeed } from './extract-need.js';
export { extractQuery } from './extract-query.js';
export { extractStage, findStage, DEAL_STAGES, type DealStage } from './extract-stage.js';
export { extractEvents } from './extract-events.js';
export { prepareText, MAX_SLOT_TEXT_LENGTH } from './prepare-text.js';
export { isCompanySuffix, isNotNameWord } from './proper-names.js';
export { formatInstantInZone, offsetMinutesAt, resolveTimeZone, wallTimeToInstant, wallTimeAt, addDays, weekdayOf, type WallTime } from './zoned-time.js';
export type { SlotMatch, Span } from './slot-match.js';
