export { createWhatsAppChannel, WhatsAppChannel, type WhatsAppSettings, type WhatsAppChannelOptions } from './whatsapp-channel.js';
export { WhatsAppWebhook, WHATSAPP_WEBHOOK_PATH, type WhatsAppWebhookOptions } from './whatsapp-webhook.js';
export { WhatsAppWindowClosedError, WhatsAppApiError, WhatsAppSetupError, MediaTooLargeError, GRAPH_ERROR } from './whatsapp-errors.js';
export { signWebhookBody, verifyWebhookSignature, secretsEqual, SIGNATURE_HEADER } from './whatsapp-signature.js';
export {
  parseNotification,
  toInboundMessage,
  WhatsAppNotificationSchema,
  WhatsAppMessageSchema,
  WhatsAppStatusSchema,
  type WhatsAppNotification,
  type WhatsAppMessage,
  type WhatsAppStatus,
  type ParsedNotification,
  type DeliveryStatusUpdate,
} from './whatsapp-payload.js';
export {
  formatForWhatsApp,
  splitText,
  buttonTitle,
  buildMessageRequests,
  buildTemplateRequest,
  templateParameter,
  WHATSAPP_LIMITS,
  type OutgoingMessageRequest,
} from './whatsapp-format.js';
export { WhatsAppGraphClient, type GraphClientOptions, type MediaInfo } from './whatsapp-graph-client.js';
export { isWindowOpen, CUSTOMER_SERVICE_WINDOW_MS } from './customer-service-window.js';
