import { parseArgs, type ParseArgsConfig } from 'node:util';
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
  /** More lines for `--help`: options, examples, where things are read from. */
  details?: string;
  run(args: string[], context: CliContext): Promise<number>;
}

/** A mistake in how a command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** The `--help` text of one command: what `switchboard <name> --help` prints. */
export function commandHelp(command: CliCommand): string {
  const usages = command.usage.split(' | ').map((usage, i) => `${i === 0 ? 'Usage:' : '      '} switchboard ${usage}`);
  return [...usages, '', command.summary, ...(command.details ? ['', command.details.trimEnd()] : []), ''].join('\n');
}

/**
 * Options and positionals through node:util parseArgs (built in, strict), with its errors
 * turned into a UsageError that repeats the usage: `serve --port 1` must say so, not start.
 */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  command: CliCommand,
  args: string[],
  options: T,
  positionals: { min?: number; max?: number } = {},
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: options ?? {}, allowPositionals: (positionals.max ?? 0) > 0, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: switchboard ${command.usage}`);
  }
  const count = parsed.positionals.length;
  if (count < (positionals.min ?? 0) || count > (positionals.max ?? 0)) {
    throw new UsageError(`usage: switchboard ${command.usage}`);
  }
  return parsed as ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
}

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
