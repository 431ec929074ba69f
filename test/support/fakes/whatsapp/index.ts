export { WhatsAppGraphFake, FAKE_WHATSAPP, type SentMessage, type RecordedRequest } from './whatsapp-graph-fake.js';
export {
  MetaWebhookClient,
  inbound,
  statusNotification,
  messageNotification,
  notification,
  signMetaPayload,
  metaJson,
  newWamid,
  SAMPLE_USER,
  DEFAULT_CHALLENGE,
  type Sender,
  type StatusEvent,
  type WebhookAnswer,
} from './meta-webhooks.js';
