import type { ChannelAdapter, ChannelName } from '../channels/index.js';
import { WebchatChannel } from '../channels/webchat/index.js';
import type { Config } from '../config/index.js';
import { secretsOf } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Role } from '../core/roles.js';
import { AuditLog, ConversationRepo, MessageRepo, PeopleRepo, type Stores } from '../store/index.js';
import type { AdminDeps } from './admin-commands.js';
import { MessagePipeline } from './message-pipeline.js';
import { MinimalHandler } from './minimal-handler.js';
import type { TurnHandler } from './turn.js';

/**
 * Everything the bot is made of, given in one place (the composition root). No module keeps
 * state of its own; tests build a bot with their own clock, stores and channels.
 */
export interface BotOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  stores: Stores;
  /** What the bot says; defaults to the foundation's minimal handler. */
  handler?: TurnHandler;
  /** Channels besides the web chat, which is always on. */
  channels?: ChannelAdapter[];
}

export interface Bot {
  readonly pipeline: MessagePipeline;
  readonly webchat: WebchatChannel;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly people: PeopleRepo;
  readonly conversations: ConversationRepo;
  readonly messages: MessageRepo;
  readonly audit: AuditLog;
  readonly admin: AdminDeps;
  start(): Promise<void>;
  /** Stops taking messages, finishes the turns in flight, stops the channels. */
  stop(): Promise<void>;
}

export function createBot(options: BotOptions): Bot {
  const { config, logger, clock, stores } = options;
  const people = new PeopleRepo(stores.db, clock);
  const conversations = new ConversationRepo(stores.db, clock);
  const messages = new MessageRepo(stores.db, clock);
  const audit = new AuditLog(stores.db, clock, secretsOf(config));
  const webchat = new WebchatChannel(stores.hot);
  const channels = new Map<ChannelName, ChannelAdapter>([[webchat.name, webchat]]);
  for (const channel of options.channels ?? []) channels.set(channel.name, channel);

  const pipeline = new MessagePipeline({
    people,
    conversations,
    messages,
    hot: stores.hot,
    clock,
    logger,
    handler: options.handler ?? new MinimalHandler(),
    defaultRole: (): Role => 'unknown',
    channels,
    lock: { ttlMs: config.turn.lockTtlMs, waitMs: config.turn.lockWaitMs },
  });

  return {
    pipeline,
    webchat,
    channels,
    people,
    conversations,
    messages,
    audit,
    admin: { people, audit },
    async start() {
      for (const channel of channels.values()) await channel.start(pipeline.handleInbound);
    },
    async stop() {
      await pipeline.drain();
      for (const channel of channels.values()) await channel.stop().catch((error: unknown) => logger.warn({ err: error, channel: channel.name }, 'channel did not stop cleanly'));
    },
  };
}
