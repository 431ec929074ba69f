import { secretsOf } from '../../config/index.js';
import { createLogger } from '../../core/logger.js';
import { parseCommandArgs, type CliCommand } from '../cli-context.js';

export const serveCommand: CliCommand = {
  usage: 'serve',
  summary: 'run the service: web chat, converse API, webhooks (what `npm start` runs)',
  details: [
    'Settings come from the environment or a .env file (see .env.example): PORT, HOST, DATA_DIR,',
    'DATABASE_URL, REDIS_URL, the channel credentials, APPS_FILE. The log goes to stdout.',
    'Stop it with Ctrl-C or SIGTERM: it finishes the turns in flight first; a second signal stops at once.',
  ].join('\n'),
  async run(args, context) {
    parseCommandArgs(this, args, {});
    const { config } = context;
    // The service's log is its output: stdout.
    const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), fd: 1 });
    // Loaded here, not at the top: `switchboard --help` should not wait for the whole service to load.
    const { startService } = await import('../../bot/index.js');
    const service = await startService({ config, logger });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    logger.info({ signal }, 'shutting down');
    // A second signal while finishing up means "now".
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    await service.stop();
    // Everything is closed; a handle some library left open (a socket, a timer) must not keep the
    // process past its stop: the platform's supervisor expects an exit soon after SIGTERM.
    setTimeout(() => {
      logger.warn('stopped, but handles are still open: exiting now');
      process.exit(0);
    }, 500).unref();
    return 0;
  },
};
