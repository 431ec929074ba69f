import { ConfigError, toSwitchboardError } from '../core/errors.js';
import { auditCommand } from './commands/audit.js';
import { chatCommand } from './commands/chat.js';
import { classifyCommand } from './commands/classify.js';
import { evalClincCommand } from './commands/eval-clinc.js';
import { pairingCommand } from './commands/pairing.js';
import { serveCommand } from './commands/serve.js';
import { usersCommand } from './commands/users.js';
import { createCliContext, UsageError, type CliCommand } from './cli-context.js';

const COMMANDS: Record<string, CliCommand> = {
  serve: serveCommand,
  chat: chatCommand,
  users: usersCommand,
  pairing: pairingCommand,
  audit: auditCommand,
  classify: classifyCommand,
  'eval-clinc': evalClincCommand,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  switchboard ${c.usage.padEnd(44)} ${c.summary}`);
  return ['Usage:', ...lines, '', 'Settings come from the environment or a .env file; see .env.example.', ''].join('\n');
}

/** Runs one CLI invocation; returns the exit code. Errors are printed as one clear sentence. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  try {
    const context = createCliContext({ ...(name === 'serve' ? {} : { logLevel: 'warn' }) });
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    const normalised = toSwitchboardError(error);
    process.stderr.write(`switchboard ${name}: ${normalised.message}\n`);
    return 1;
  }
}
