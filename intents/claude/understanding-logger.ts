/**
 * What the understanders log through: the two levels they use, pino-shaped (a pino `Logger` fits).
 * Entries carry codes, intent ids and slot names, never the user's text or slot values.
 */
export interface UnderstandingLogger {
  warn(details: Record<string, unknown>, message: string): void;
  debug(details: Record<string, unknown>, message: string): void;
}

/** Logs nothing; the default when no logger is given. */
export const SILENT_UNDERSTANDING_LOGGER: UnderstandingLogger = {
  warn() {},
  debug() {},
};
