import { startService } from '../../bot/index.js';
import { secretsOf } from '../../config/index.js';
import { createLogger } from '../../core/logger.js';
import type { CliCommand } from '../cli-context.js';

export const serveCommand: CliCommand = {
  usage: 'serve',
  summary: 'run the service: web chat, converse API, webhooks (what `npm start` runs)',
  async run(_args, context) {
    const { config } = context;
    // The service's log is its output: stdout.
    const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), fd: 1 });
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
