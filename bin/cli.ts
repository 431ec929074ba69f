import { ConfigError, toSwitchboardError } from '../core/errors.js';
import { AppCatalogError } from '../tools/apps/index.js';
import {
  appsCommand,
  auditCommand,
  chatCommand,
  clientsCommand,
  classifyCommand,
  crmCommand,
  demoCommand,
  domainsCommand,
  evalClincCommand,
  pairingCommand,
  runsCommand,
  serveCommand,
  usersCommand,
  workerCommand,
} from './commands/index.js';
import { commandHelp, createCliContext, UsageError, type CliCommand } from './cli-context.js';

const COMMANDS: Record<string, CliCommand> = {
  serve: serveCommand,
  worker: workerCommand,
  chat: chatCommand,
  apps: appsCommand,
  users: usersCommand,
  pairing: pairingCommand,
  audit: auditCommand,
  runs: runsCommand,
  domains: domainsCommand,
  crm: crmCommand,
  clients: clientsCommand,
  demo: demoCommand,
  classify: classifyCommand,
  'eval-clinc': evalClincCommand,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  switchboard ${name.padEnd(12)} ${c.summary}`);
  return [
    'Usage: switchboard <command> [arguments]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `switchboard <command> --help` for the arguments of one command.',
    'Settings come from the environment or a .env file; see .env.example.',
    '',
  ].join('\n');
}

/** `--help` or `-h` anywhere before a `--` asks for help; after `--` it is an argument. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Runs one CLI invocation; returns the exit code. Errors are printed as one clear sentence. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic && COMMANDS[topic]) {
      process.stdout.write(commandHelp(COMMANDS[topic]));
      return 0;
    }
    if (topic) {
      process.stderr.write(`Unknown command "${topic}".\n\n${help()}`);
      return 2;
    }
    // Bare `switchboard` is a mistake in a script (exit 2); asking for help is not.
    (name ? process.stdout : process.stderr).write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  // Help comes before the settings are read or anything is opened: it must work with a broken
  // .env and must never start a server, a chat or a training run.
  if (asksForHelp(args)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    const context = createCliContext({ ...(name === 'serve' ? {} : { logLevel: 'warn' }) });
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof AppCatalogError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    const normalised = toSwitchboardError(error);
    process.stderr.write(`switchboard ${name}: ${normalised.message}\n`);
    return 1;
  }
}
