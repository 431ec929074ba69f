/**
 * Typed errors with a stable string `code` (Bolt's CodedError, grammY's GrammyError).
 * Callers branch on `code`, never on message text. Unknown errors are normalised once, at the
 * boundary, with `toSwitchboardError`.
 */
export abstract class SwitchboardError extends Error {
  abstract readonly code: string;
  /** HTTP status used when this error reaches an HTTP boundary. */
  readonly status: number = 500;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

export interface ConfigProblem {
  /** The environment variable at fault. */
  variable: string;
  problem: string;
  fix: string;
}

/** Start-up stops with one of these; its message lists every problem and how to fix it. */
export class ConfigError extends SwitchboardError {
  readonly code = 'config_invalid';
  constructor(readonly problems: ConfigProblem[]) {
    super(
      [
        `Switchboard cannot start: ${problems.length} setting${problems.length === 1 ? '' : 's'} need${problems.length === 1 ? 's' : ''} fixing.`,
        ...problems.map((p) => `  - ${p.variable}: ${p.problem}. Fix: ${p.fix}`),
      ].join('\n'),
    );
  }
}

/** A request whose body or parameters are not what the endpoint accepts. */
export class BadRequestError extends SwitchboardError {
  readonly code = 'bad_request';
  override readonly status = 400;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends SwitchboardError {
  readonly code = 'unauthorized';
  override readonly status = 401;
}

export class ForbiddenError extends SwitchboardError {
  readonly code = 'forbidden';
  override readonly status = 403;
}

export class TooManyRequestsError extends SwitchboardError {
  readonly code = 'rate_limited';
  override readonly status = 429;
  constructor() {
    super('Too many messages in the last minute; wait a minute and send again.');
  }
}

/** A per-conversation lock that could not be taken in time. */
export class LockTimeoutError extends SwitchboardError {
  readonly code = 'lock_timeout';
  override readonly status = 503;
  constructor(readonly key: string) {
    super(`Timed out waiting for the lock on ${key}`);
  }
}

/**
 * A message that is stored but still waiting its turn (an earlier message of the conversation is being
 * handled, or a redelivery met the first delivery in flight). Temporary: the message will be answered;
 * a synchronous caller retries with the same message id for its replies.
 */
export class ConversationBusyError extends SwitchboardError {
  readonly code = 'conversation_busy';
  override readonly status = 503;
  constructor() {
    super('This message is queued behind another one in the same conversation; retry in a moment with the same messageId for its replies.');
  }
}

/** The embedded database folder is held by another process. */
export class DataDirLockedError extends SwitchboardError {
  readonly code = 'data_dir_locked';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Switchboard process (pid ${holderPid}). ` +
        'Stop that process, or set DATABASE_URL to use a shared PostgreSQL server.',
    );
  }
}

/**
 * A store that cannot be reached, is restarting or does not answer in time (PostgreSQL, Redis, the
 * embedded database). Temporary by nature: webhooks answer 503 so the platform retries, with
 * `Retry-After`. The message is safe to show; the driver's error is kept as `cause`.
 */
export class StoreError extends SwitchboardError {
  readonly code = 'store_error';
  override readonly status = 503;
  /** Which store failed: the durable database or the hot tier (absent when not known). */
  readonly store: 'durable' | 'hot' | undefined;
  /** What the HTTP boundary sends as `Retry-After`. */
  readonly retryAfterSeconds: number = 5;
  constructor(message: string, options: { cause?: unknown; store?: 'durable' | 'hot' } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.store = options.store;
  }
}

/** Wraps anything thrown into a SwitchboardError, keeping the original as `cause`. */
export class UnexpectedError extends SwitchboardError {
  readonly code = 'unexpected';
}

export function toSwitchboardError(error: unknown): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnexpectedError(message, { cause: error });
}
