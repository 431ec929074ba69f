export { type Clock, type TimerHandle, SystemClock, ManualClock, sleep } from './clock.js';
export {
  SwitchboardError,
  ConfigError,
  type ConfigProblem,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  TooManyRequestsError,
  LockTimeoutError,
  ConversationBusyError,
  DataDirLockedError,
  StoreError,
  UnexpectedError,
  toSwitchboardError,
} from './errors.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './logger.js';
export { Redactor, maskPhone } from './redact.js';
export { retry, planRetry, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryPlan, type RetryVerdict, type RetryOptions } from './retry.js';
export { ROLES, STAFF_ROLES, isRole, type Role } from './roles.js';
