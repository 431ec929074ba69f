import type { InboundMessage } from '../message.js';
import type { WebMessage } from './whatsapp-web-library.js';

/** Events that arrive as messages but are nobody writing to the bot. */
const SILENT_TYPES = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'group_notification',
  'gp2',
  'call_log',
  'protocol',
  'revoked',
  'ciphertext',
  'reaction',
  'broadcast_notification',
  'debug',
]);

const BUTTON_TYPES = new Set(['buttons_response', 'list_response', 'template_button_reply']);

/**
 * A person's chat (`15551234567@c.us`) is known by their number, the same id the Cloud API uses,
 * so a role granted to `whatsapp:15551234567` holds on either; other chats (groups, `@lid`) keep
 * their full id.
 */
export function conversationOf(chatId: string): string {
  const person = /^(\d{5,20})@c\.us$/.exec(chatId);
  return person ? person[1]! : chatId;
}

/** The chat id to send to, from a conversation. */
export function chatIdOf(conversation: string): string {
  return /^\d{5,20}$/.test(conversation) ? `${conversation}@c.us` : conversation;
}

/**
 * A whatsapp-web.js `message` event as the bot's own message, or undefined when it is not for the
 * bot: our own messages, status updates, notifications.
 */
export function toInboundMessage(message: WebMessage, options: { receivedAt: number; displayName?: string }): InboundMessage | undefined {
  if (message.fromMe || message.id.fromMe) return undefined;
  if (message.isStatus || message.from === 'status@broadcast' || message.broadcast) return undefined;
  if (SILENT_TYPES.has(message.type)) return undefined;
  const sender = conversationOf(message.author ?? message.from);
  const base: InboundMessage = {
    channel: 'whatsapp',
    messageId: message.id._serialized,
    conversation: conversationOf(message.from),
    user: { id: sender, ...(options.displayName ? { displayName: options.displayName } : {}) },
    text: '',
    receivedAt: options.receivedAt,
    ...(message.timestamp ? { sentAt: message.timestamp * 1000 } : {}),
    ...(message.isForwarded ? { forwarded: true } : {}),
  };
  if (message.type === 'chat') return { ...base, text: message.body };
  if ((message.type === 'ptt' || message.type === 'audio') && message.hasMedia) {
    const duration = Number(message.duration);
    return {
      ...base,
      voice: { kind: message.type === 'ptt' ? 'voice' : 'audio', fileRef: message.id._serialized, ...(duration > 0 ? { durationSeconds: duration } : {}) },
    };
  }
  if (BUTTON_TYPES.has(message.type)) return { ...base, text: message.selectedButtonId ?? message.selectedRowId ?? message.body, viaButton: true };
  return { ...base, text: describeUnsupported(message) };
}

/** `[image] caption`: what was sent, so the bot can say it reads text and voice notes only. */
function describeUnsupported(message: WebMessage): string {
  const label = { vcard: 'contact card', multi_vcard: 'contact cards', ptt: 'voice note', chat: 'message' }[message.type] ?? message.type;
  let extra = '';
  // For media the body is the caption; for a location it is a thumbnail, so the place is used instead.
  if (['image', 'video', 'document', 'sticker', 'audio', 'ptt'].includes(message.type)) extra = message.body;
  else if (message.type === 'location') extra = [message.location?.name, message.location?.address].filter(Boolean).join(', ');
  return extra.trim() ? `[${label}] ${extra.trim()}` : `[${label}]`;
}
