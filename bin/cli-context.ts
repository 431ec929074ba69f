import { loadConfig, loadDotEnv, type Config } from '../config/index.js';
import { secretsOf } from '../config/index.js';
import { ConfigError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';

/** What every command gets: validated config, a logger on stderr, and where to write output. */
export interface CliContext {
  config: Config;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface CliCommand {
  /** e.g. `users grant <channel>:<userId> <role>` */
  usage: string;
  summary: string;
  run(args: string[], context: CliContext): Promise<number>;
}

/** A mistake in how a command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function createCliContext(options: { logLevel?: string; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream } = {}): CliContext {
  loadDotEnv();
  const config = loadConfig(process.env);
  return {
    config,
    // The CLI logs to stderr so that stdout carries only the command's output.
    logger: createLogger({ level: options.logLevel ?? config.logLevel, secrets: secretsOf(config), fd: 2 }),
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
  };
}

export { ConfigError };
