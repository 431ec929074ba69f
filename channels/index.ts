export {
  type InboundMessage,
  type OutboundMessage,
  type ReplyDraft,
  type ReplyButton,
  type VoiceAttachment,
  type InboundUser,
  type ChannelName,
  CHANNEL_NAMES,
  isChannelName,
} from './message.js';
export {
  type ChannelAdapter,
  type InboundHandler,
  type TurnOutcome,
  type RawRequest,
  type ParsedRequest,
  type WebhookRoute,
  type WebhookResponse,
  type SentReceipt,
  type FetchedMedia,
  type ChannelDeps,
  ChannelSendError,
} from './channel-port.js';
export { configuredChannels } from './configured-channels.js';
export {
  sanitiseInbound,
  sanitiseBatch,
  cleanText,
  cleanDeep,
  checkIdentifier,
  identifierProblem,
  isStorable,
  isPossibleTime,
  UnstorableInputError,
  MAX_IDENTIFIER_LENGTH,
  LATEST_POSSIBLE_TIME_MS,
  type RejectedItem,
} from './sanitise-inbound.js';
