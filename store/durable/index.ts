export { type Database, type Queryable } from './database.js';
export { openPostgres, type OpenPostgresOptions } from './open-postgres.js';
export { openEmbedded, type OpenEmbeddedOptions } from './open-embedded.js';
export { defaultTemplatePath as defaultEmbeddedTemplatePath } from './embedded-template.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
export { PeopleRepo, type Person, type PersonWithIdentities, type Identity } from './people-repo.js';
export { ConversationRepo, type Conversation } from './conversation-repo.js';
export { MessageRepo, type StoredMessage, type NewReply, type InboundStatus, type OutboundStatus, type OutboundClaim, type TakenOutbound } from './message-repo.js';
export { AuditLog, canonicalJson, type AuditEntry, type AuditRecord, type AuditVerification } from './audit-log.js';
export {
  acquireDataDirLock,
  readDataDirLock,
  lockFilePath,
  type DataDirLock,
  type DataDirLockInfo,
} from './data-dir-lock.js';
export { ConfirmationRepo, type Confirmation, type ConfirmationStatus, type NewConfirmation } from './confirmation-repo.js';
export { ToolRunRepo, type ToolRun } from './tool-run-repo.js';
export { PairingRepo, type PairingRequest } from './pairing-repo.js';
export { TaskRepo, type Task, type TaskQuery } from './task-repo.js';
export { NotificationRepo, type Subscription, type DeliveryStatus } from './notification-repo.js';
export {
  JobRepo,
  FINISHED_JOB_STATUSES,
  type JobRecord,
  type JobStatus,
  type JobStep,
  type JobError,
  type JobFilter,
  type LockHolder,
  type NewJob,
  type CreateJobOutcome,
  type Transition,
} from './job-repo.js';
export {
  DomainMappingRepo,
  OPEN_MAPPING_STATES,
  type DomainMapping,
  type DomainMappingState,
  type NewDomainMapping,
  type MappedRecord,
  type ServerAnswer,
  type DomainCheckSummary,
} from './domain-mapping-repo.js';
export { RegisteredDomainRepo, type RegisteredDomain, type NewRegisteredDomain } from './registered-domain-repo.js';
export { isPostgresUnavailable, toDurableStoreError } from './pg-failures.js';
export { SandboxDnsRepo, type SandboxDnsZone, type SandboxDnsRecord, type NewSandboxDnsRecord } from './sandbox-dns-repo.js';
export {
  CrmRepo,
  CRM_SIMILARITY,
  type CrmContact,
  type CrmCompany,
  type CrmDeal,
  type CrmNote,
  type CrmSearchHit,
  type CrmRecordKind,
  type NewCrmContact,
  type CrmContactPatch,
  type DuplicateReason,
} from './crm-repo.js';
export { eraseContact, type ErasureCounts, type ErasureRequest } from './crm-erasure.js';
export { ThreadCheckpointSaver, hasLegacyCheckpoints, DEFERRED_CHECKPOINT, type CheckpointSink, type CheckpointWrite } from './thread-checkpoint-saver.js';
