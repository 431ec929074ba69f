export { startService, createServiceHttpServer, PortInUseError, type RunningService, type ServiceOptions } from './service.js';
export { createBot, type Bot, type BotOptions } from './create-bot.js';
export { MessagePipeline, ServiceStoppingError, type MessagePipelineOptions } from './message-pipeline.js';
export { Outbox, DeliveryTimeoutError, NoChannelError, toOutbound, type OutboxOptions, type DeliveryOutcome } from './outbox/index.js';
export { createHttpServer, ConverseRequestSchema, type HttpServerOptions } from './http-server.js';
export { ADMIN_COMMANDS, createAdminDeps, runAdminCommand, isAdminCommand, IdentitySchema, type AdminDeps, type AdminCommandName } from './admin-commands.js';
export { AgentHandler, createAgentGraph } from './agent/index.js';
export { PairingService } from './pairing.js';
export type { Turn, TurnHandler } from './turn.js';
