import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * The Slack SDK's logger interface over the service's logger, so the SDK's lines go through the same
 * redaction (tokens never reach the log) instead of the SDK's console logger.
 */
export class SlackSdkLogger implements SlackLogger {
  private level: LogLevel;

  constructor(private readonly logger: Logger) {
    this.level = toSlackLevel(logger.level);
  }

  debug(...msg: unknown[]): void {
    this.logger.debug({ sdk: 'slack' }, join(msg));
  }

  info(...msg: unknown[]): void {
    // The SDK's info lines are routine (connections, retries): debug for us.
    this.logger.debug({ sdk: 'slack' }, join(msg));
  }

  warn(...msg: unknown[]): void {
    this.logger.warn({ sdk: 'slack' }, join(msg));
  }

  error(...msg: unknown[]): void {
    this.logger.error({ sdk: 'slack' }, join(msg));
  }

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  getLevel(): LogLevel {
    return this.level;
  }

  setName(_name: string): void {
    // One name for every SDK line (`sdk: "slack"`); the SDK's own names add nothing.
  }
}

function toSlackLevel(level: string): LogLevel {
  if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

function join(msg: unknown[]): string {
  return msg.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' ');
}
