import type { AuditLog, CrmRepo, Database } from '../../store/index.js';
import type { CrmService } from './crm-service.js';

/** What the CRM actions need, built once in createBot. */
export interface CrmDeps {
  crm: CrmRepo;
  service: CrmService;
  /** For erasure: it sweeps every table and redacts the audit log. */
  db: Database;
  audit: AuditLog;
  /** CRM_DEFAULT_COUNTRY: phone numbers without a country code. */
  defaultCountry: string;
}
