/**
 * The bot's own message types. Every channel adapter parses its platform's payload into an
 * `InboundMessage` and renders `OutboundMessage`s back; nothing past the adapter sees a platform type.
 */
export const CHANNEL_NAMES = ['webchat', 'terminal', 'slack', 'telegram', 'whatsapp'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export function isChannelName(value: string): value is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(value);
}

/** A voice note or audio file attached to a message; the bytes are fetched lazily by the media step. */
export interface VoiceAttachment {
  kind: 'voice' | 'audio';
  /** The platform's own reference (Telegram file_id, WhatsApp media id, Slack file id). */
  fileRef: string;
  /** The type the platform declared; never trusted without sniffing the bytes. */
  declaredMimeType?: string;
  declaredSizeBytes?: number;
  durationSeconds?: number;
}

export interface InboundUser {
  /** The platform's id for the sender (Slack user id, Telegram user id, WhatsApp number, web chat id). */
  id: string;
  displayName?: string;
  /** Messages from bots never act and never confirm. */
  isBot?: boolean;
}

export interface InboundMessage {
  channel: ChannelName;
  /** The platform's message id; with `channel` it is the de-duplication key. */
  messageId: string;
  /** The platform's conversation: a chat id, a Slack channel or DM, a WhatsApp number, a web chat session. */
  conversation: string;
  /** The thread inside the conversation (Slack thread_ts, Telegram topic), when there is one. */
  thread?: string;
  user: InboundUser;
  text: string;
  voice?: VoiceAttachment;
  /** When the platform says the message was sent (ms since epoch). */
  sentAt?: number;
  /** When this service received it (ms since epoch, from the clock port). */
  receivedAt: number;
  /** Edited and forwarded messages are shown to the agent but never confirm a risky action. */
  edited?: boolean;
  forwarded?: boolean;
  /** The message is a button click (its `text` is the button's id). Buttons may cancel; they never confirm. */
  viaButton?: boolean;
  /** The platform message this one replies to, when it is a reply. */
  replyTo?: string;
}

/** A button shown with a reply. Buttons may cancel; they never confirm (see DESIGN.md). */
export interface ReplyButton {
  id: string;
  label: string;
}

export interface OutboundMessage {
  /** Our id for the reply (the `messages` row), so a channel can de-duplicate what it shows. */
  id: string;
  channel: ChannelName;
  conversation: string;
  thread?: string;
  text: string;
  buttons?: ReplyButton[];
  /** `reply` answers a turn; `notification` is proactive (reminders, job results). */
  kind: 'reply' | 'notification';
  /** The inbound message this answers, for a reply. */
  inReplyTo?: string;
  createdAt: number;
  /**
   * When the person last wrote in this conversation, as the store knew it when it handed the message
   * over (the outbox reads it with the row). Channels with a reply window (WhatsApp's 24 hours) use it
   * instead of asking again; absent, they ask (ChannelDeps.lastInboundAt).
   */
  lastInboundAt?: number;
}

/** The content of a reply before it is persisted and addressed. */
export interface ReplyDraft {
  text: string;
  buttons?: ReplyButton[];
}
