import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { configuredChannels, type ChannelAdapter, type ChannelDeps } from '../channels/index.js';
import type { Config } from '../config/index.js';
import { type Clock, SystemClock } from '../core/clock.js';
import { SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createUnderstanding, type Understander } from '../intents/index.js';
import { secretsOf } from '../config/index.js';
import { openStores, type Stores } from '../store/index.js';
import { registerLocalSites } from '../tools/deploy/index.js';
import { createBot, type Bot } from './create-bot.js';
import { createHttpServer } from './http-server.js';
import type { TurnHandler } from './turn.js';

export class PortInUseError extends SwitchboardError {
  readonly code = 'port_in_use';
  constructor(host: string, port: number) {
    super(`Another program is already listening on ${host}:${port}. Stop it, or set PORT to a free port (e.g. PORT=3001).`);
  }
}

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the offline classifier (with Claude when ANTHROPIC_API_KEY is set). */
  understander?: Understander;
  /** Replaces the agent (tests of the message path). */
  handler?: TurnHandler;
  channels?: ChannelAdapter[] | ((deps: ChannelDeps) => ChannelAdapter[]);
}

export interface RunningService {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly bot: Bot;
  readonly stores: Stores;
  readonly http: FastifyInstance;
  /**
   * Graceful but bounded (about 4 s, whatever hangs): stops accepting, ends event streams and idle
   * connections, finishes in-flight turns, closes the stores. A turn that does not finish in time
   * stays `received` and is answered by the next start's recovery. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts Switchboard: stores (and migrations), the bot, its channels and the HTTP server.
 *
 * @example
 * const service = await startService({ config: loadConfig(), logger: createLogger() });
 * process.once('SIGTERM', () => service.stop());
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const clock = options.clock ?? new SystemClock();
  const understander = options.handler ? undefined : (options.understander ?? understanding(config, logger));
  const channelsOfConfig = options.channels ? undefined : await configuredChannels(config);
  const stores = await openStores(config, clock, { logger });
  logger.info(
    { durable: stores.db.description, hot: stores.hot.description },
    `stores ready: ${stores.db.description}; ${stores.hot.description}`,
  );
  let bot: Bot | undefined;
  let http: FastifyInstance | undefined;
  try {
    bot = createBot({
      config,
      logger,
      clock,
      stores,
      ...(options.handler ? { handler: options.handler } : {}),
      ...(understander ? { understander } : {}),
      channels: options.channels ?? channelsOfConfig,
    });
    http = await createServiceHttpServer({ config, logger, clock, bot, stores });
    await bot.start();
    try {
      await http.listen({ port: config.http.port, host: config.http.host });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(config.http.host, config.http.port);
      throw error;
    }
  } catch (error) {
    await http?.close().catch(() => {});
    await bot?.stop().catch(() => {});
    await stores.close();
    throw error;
  }
  const running = bot;
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  stores.dataDirLock?.setUrl(url);
  logger.info({ url, channels: [...running.channels.keys()] }, `Switchboard is listening: web chat at ${url}; channels: ${[...running.channels.keys()].join(', ')}`);
  const server = http;
  void running.pipeline
    .recoverUndelivered()
    .then(() => running.pipeline.recoverUnanswered())
    .catch((error: unknown) => logger.error({ err: error }, 'recovery failed'));

  let stopping: Promise<void> | undefined;
  return {
    url,
    bot: running,
    stores,
    http: server,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping: finishing turns in flight');
        // New requests get 503 from here on; event streams end (preClose) and idle keep-alive sockets
        // close. A request still running after the grace period (a turn stuck behind a lock or a slow
        // store) is cut: its message is stored and the next start answers it.
        const closed = server.close();
        if (!(await within(closed, STOP_HTTP_GRACE_MS))) {
          logger.warn('stopping: requests still running; closing their connections');
          server.server.closeAllConnections();
          await within(closed, 300);
        }
        if (!(await within(running.stop(), STOP_TURNS_GRACE_MS))) {
          logger.warn('stopping: turns still running after the grace period; the next start answers them');
        }
        if (!(await within(stores.close(), STOP_STORES_GRACE_MS))) logger.warn('stopping: the stores did not close in time');
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/** The service's HTTP server for a bot and its stores: web chat, converse and admin APIs, webhooks. */
export function createServiceHttpServer(parts: {
  config: Config;
  logger: Logger;
  clock: Clock;
  bot: Bot;
  stores: Stores;
}): Promise<FastifyInstance> {
  const { config, logger, clock, bot, stores } = parts;
  return createHttpServer({
    logger,
    clock,
    maxBodyBytes: config.http.maxBodyBytes,
    maxVoiceBytes: config.voice.maxBytes,
    apiToken: config.apiToken,
    localAdminToken: stores.dataDirLock?.info.adminToken,
    pipeline: bot.pipeline,
    webchat: bot.webchat,
    webchatHistory: async (conversation) => {
      const found = await bot.conversations.find('webchat', conversation);
      if (!found) return [];
      const history = await bot.messages.history(found.id, 100);
      return history.map((m) => ({ id: m.id, direction: m.direction, text: m.text, createdAt: m.createdAt }));
    },
    channels: [...bot.channels.values()],
    admin: bot.admin,
    // Both checked at once, each bounded: a hung store answers "false" in 1.5 s instead of holding /ready.
    readiness: async () => {
      const [durable, hot] = await Promise.all([
        within(stores.db.ping(), READY_CHECK_MS),
        within(stores.hot.ping(), READY_CHECK_MS),
      ]);
      return { durable, hot };
    },
  }).then((app) => registerLocalSites(app, bot.appCatalog)); // GET /sites/:app/:env/*: what is live on local deploy targets
}

const READY_CHECK_MS = 1_500;
// SIGTERM to exit within 5 s: HTTP 1.5 s, turns 1.5 s, stores 1.5 s (each only as long as it needs).
// The stores get the most: an embedded database cut short while closing must recover from its WAL.
const STOP_HTTP_GRACE_MS = 1_500;
const STOP_TURNS_GRACE_MS = 1_500;
const STOP_STORES_GRACE_MS = 1_500;

/** True when `work` succeeded within `ms`; false when it failed or took longer (it is not cancelled). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

function understanding(config: Config, logger: Logger): Understander {
  // The trained model is kept in the data folder: a start with an unchanged catalog loads it instead of training.
  const modelCacheFile = path.join(config.dataDir, 'cache', 'intent-classifier.bin');
  const setup = createUnderstanding(config, { secrets: secretsOf(config), logger, modelCacheFile });
  logger.info(`understanding: ${setup.description}`);
  return setup.understander;
}
