export { createWhatsAppWebChannel, WhatsAppWebChannel, WhatsAppWebMediaError, type WhatsAppWebSettings, type WhatsAppWebOptions } from './whatsapp-web-channel.js';
export { toInboundMessage as toInboundWebMessage, conversationOf, chatIdOf } from './whatsapp-web-message.js';
export {
  loadWhatsAppWeb,
  WhatsAppWebUnavailableError,
  type WhatsAppWebLibrary,
  type WebClient,
  type WebClientEvents,
  type WebMessage,
  type WebMessageId,
  type WebMessageMedia,
  type WebContact,
} from './whatsapp-web-library.js';
