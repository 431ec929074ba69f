import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { TaskExtractor, Understander } from '../../../intents/index.js';
import type { AuditLog, ConfirmationRepo, PeopleRepo } from '../../../store/index.js';
import type { RolePolicy, ToolRegistry } from '../../../tools/index.js';
import type { PairingService } from '../../pairing.js';

export interface DialogStepDeps {
  actions: ToolRegistry;
  policy: RolePolicy;
  confirmations: ConfirmationRepo;
  audit: AuditLog;
  pairing: PairingService;
  clock: Clock;
  logger: Logger;
  apps: readonly string[];
  /** How long a confirmation phrase stays valid. */
  confirmTtlMs: number;
  /** Several tasks in one breath ("call John tomorrow and send Acme the proposal by Friday"). */
  taskExtractor: TaskExtractor;
  /** For what a voice note says besides its tasks. */
  understander: Understander;
  people: PeopleRepo;
}
