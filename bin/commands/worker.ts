import { secretsOf } from '../../config/index.js';
import { ConfigError, createLogger } from '../../core/index.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

export const workerCommand: CliCommand = {
  usage: 'worker [--concurrency <n>]',
  summary: 'run builds and deploys from the BullMQ queue on this machine, without the HTTP server or channels',
  details: [
    'Needs REDIS_URL (the queue) and DATABASE_URL (the job records, shared with the service). Start as many',
    'workers as you like, on any machines; the service runs jobs too. Without REDIS_URL jobs run inside',
    '`switchboard serve` and no worker is needed.',
    '',
    '  --concurrency <n>   jobs this worker runs at once (default 2)',
    '',
    'Stop it with Ctrl-C or SIGTERM: running jobs get 30 s to finish, then they are stopped and marked',
    'interrupted (their requesters are told); nothing is run again on its own. A second signal stops at once.',
    'The log goes to stdout.',
  ].join('\n'),
  async run(args, context) {
    const { values } = parseCommandArgs(this, args, { concurrency: { type: 'string' } });
    const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 64\nusage: switchboard ${this.usage}`);
    }
    const { config } = context;
    const missing = [
      !config.redisUrl && {
        variable: 'REDIS_URL',
        problem: 'is not set, and a worker takes its jobs from the BullMQ queue on Redis',
        fix: 'set REDIS_URL to the Redis the service uses (without it, jobs run inside `switchboard serve` and no worker is needed)',
      },
      !config.databaseUrl && {
        variable: 'DATABASE_URL',
        problem: 'is not set, and the job records are shared with the service (the embedded database cannot be)',
        fix: 'set DATABASE_URL to the PostgreSQL the service uses',
      },
    ].filter((p) => p !== false);
    if (missing.length) throw new ConfigError(missing);
    const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), fd: 1 });
    // Loaded here, not at the top: `switchboard --help` should not wait for the stores and the bot to load.
    const [{ createBot }, { openStores, JobRepo }, { createJobQueue }, { SystemClock, Redactor }] = await Promise.all([
      import('../../bot/index.js'),
      import('../../store/index.js'),
      import('../../tools/jobs/index.js'),
      import('../../core/index.js'),
    ]);
    const clock = new SystemClock();
    const stores = await openStores(config, clock);
    const redactor = new Redactor(secretsOf(config));
    const jobs = createJobQueue({
      jobs: new JobRepo(stores.db, clock),
      hot: stores.hot,
      clock,
      logger,
      redisUrl: config.redisUrl,
      concurrency,
      redact: (text) => redactor.text(text),
      stopGraceMs: 30_000,
    });
    try {
      // The bot is built (not started) so that the worker registers exactly the job handlers the service
      // registers, with the same app catalog and providers; no channel, HTTP server or agent runs here.
      createBot({ config, logger, clock, stores, jobQueue: jobs, handler: { handle: async () => [] } });
      await jobs.start();
    } catch (error) {
      await stores.close();
      throw error;
    }
    logger.info({ workerId: jobs.workerId, concurrency }, `worker ready: ${jobs.description}, ${stores.db.description}`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    logger.info({ signal }, 'worker stopping: letting running jobs finish');
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    await jobs.stop();
    await stores.close();
    logger.info('worker stopped');
    setTimeout(() => process.exit(0), 500).unref();
    return 0;
  },
};
