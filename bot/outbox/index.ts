export { Outbox, DeliveryTimeoutError, NoChannelError, type OutboxOptions, type DeliveryOutcome, type SettledListener } from './outbox.js';
export { toOutbound } from './to-outbound.js';
