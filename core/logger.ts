import pino, { type Logger } from 'pino';
import { Redactor } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Secret values to scrub from every line (tokens, keys, passwords from config). */
  secrets?: Iterable<string | undefined>;
  /** File descriptor to write to: 1 for the service, 2 for the CLI so stdout carries only output. */
  fd?: 1 | 2;
  /** A destination stream, for tests that read what was logged. */
  stream?: NodeJS.WritableStream;
}

/**
 * pino with redaction on every line: the merged object, the message and the bindings of child loggers.
 *
 * @example
 * const log = createLogger({ level: 'info', secrets: [config.slack.botToken] });
 * log.info({ token: 'xoxb-…' }, 'connected'); // token: "[redacted]"
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redactor = new Redactor(options.secrets ?? []);
  const destination = options.stream ?? pino.destination({ fd: options.fd ?? 1, sync: options.fd === 2 });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactor.value(bindings) as Record<string, unknown>,
        log: (object) => redactor.value(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactor.text(arg) : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // pino applies `formatters.bindings` to the root only; redact every child's bindings on the way in.
  // Children are created with Object.create(parent), so they inherit this override with `this` bound right.
  const pinoChild = Object.getPrototypeOf(logger).child as Logger['child'];
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactor.value(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
