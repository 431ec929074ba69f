import { BadRequestError } from '../../core/errors.js';
import type { InboundMessage, InboundUser, VoiceAttachment } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';
import { UpdateSchema, type CallbackQuery, type MessageEntity, type TelegramMessage, type TelegramUser, type Update } from './telegram-update.js';

/** Who the bot is: the id is the token's prefix; the username comes from getMe. */
export interface BotIdentity {
  id: number;
  /** Without the `@`. Unknown until getMe has answered; then `@name` commands and mentions cannot be matched. */
  username?: string;
}

/** One update, as the bot's own messages, plus what must be acknowledged to Telegram. */
export interface ParsedUpdate {
  updateId: number;
  /** Zero or one message today; an array so that the webhook and polling paths treat every update alike. */
  messages: InboundMessage[];
  /** A button click to answer with answerCallbackQuery (the client shows a spinner until then). */
  callbackQueryId?: string;
  /** Why the update was acknowledged without being handed to the bot, for the debug log. */
  ignored?: string;
}

/**
 * Reads an update from a webhook body (or one entry of a getUpdates result). A body that is not
 * JSON, or not an Update, is a `BadRequestError` (400): Telegram itself never sends one.
 */
export function readUpdate(body: Buffer | unknown): Update {
  let json: unknown = body;
  if (Buffer.isBuffer(body)) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BadRequestError('The body is not valid JSON.');
    }
  }
  const parsed = UpdateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new BadRequestError(`The body is not a Telegram Update (${where}${issue?.message ?? 'invalid'}).`, parsed.error.issues);
  }
  return parsed.data;
}

/**
 * Turns an update into the bot's messages. Transport only: it decides whether a message is meant
 * for the bot, never what the bot answers.
 *
 * - Private chats: every message with text, a caption, a voice note or an audio file.
 * - Groups and supergroups: only messages addressed to the bot — a command for it (`/cmd@thisbot`,
 *   or a bare `/cmd`, which names no other bot: with privacy mode on, Telegram forwards bare commands
 *   only to the bot that spoke last), a mention of `@thisbot` (removed from the text), or a reply to
 *   one of the bot's messages. Other chatter is acknowledged and dropped.
 * - `@thisbot` is removed from commands (`/help@thisbot` → `/help`).
 * - `edited_message` → `edited: true` with its own message id (`<id>:edited:<edit_date>`), so an
 *   edit is a new turn and a redelivered edit is still the same one.
 * - `forward_origin` (or the pre-7.0 `forward_date`) → `forwarded: true`.
 * - `callback_query` → the button's data as text, `viaButton: true`.
 * - `voice`/`audio` → a voice attachment; the text is the caption or ''.
 * - Channel posts and other update kinds are acknowledged and dropped.
 * - Every message passes `sanitiseInbound`: an id that cannot be stored, or a date no `Date` can hold,
 *   throws `UnstorableInputError` (400, nothing stored); NUL and lone surrogates in text are replaced.
 */
export function parseUpdate(update: Update, bot: BotIdentity, receivedAt: number): ParsedUpdate {
  if (update.message) return fromMessage(update.update_id, update.message, false, bot, receivedAt);
  if (update.edited_message) return fromMessage(update.update_id, update.edited_message, true, bot, receivedAt);
  if (update.callback_query) return fromCallbackQuery(update.update_id, update.callback_query, receivedAt);
  return { updateId: update.update_id, messages: [], ignored: 'an update kind this channel does not handle' };
}

// --- messages ---

function fromMessage(updateId: number, message: TelegramMessage, edited: boolean, bot: BotIdentity, receivedAt: number): ParsedUpdate {
  const ignore = (why: string): ParsedUpdate => ({ updateId, messages: [], ignored: why });
  const { chat, from } = message;
  if (chat.type === 'channel') return ignore('a channel post');
  if (!from) return ignore('a message without a sender');

  const hasText = message.text !== undefined;
  const body = message.text ?? message.caption ?? '';
  const entities = (hasText ? message.entities : message.caption_entities) ?? [];
  const voice = voiceOf(message);
  if (body.trim() === '' && !voice) return ignore('a message with no text, caption or voice note');

  const address = readAddress(body, entities, bot);
  if (chat.type !== 'private') {
    const repliesToBot = message.reply_to_message?.from?.id === bot.id;
    const addressed = address.command === 'ours' || address.command === 'bare' || address.mentioned || repliesToBot;
    if (!addressed) return ignore(address.command === 'other' ? 'a command for another bot' : 'group chatter not addressed to the bot');
  }

  if (address.text.trim() === '' && !voice) return ignore('a mention of the bot with nothing else');

  const thread = message.is_topic_message && message.message_thread_id !== undefined ? String(message.message_thread_id) : undefined;
  const inbound: InboundMessage = {
    channel: 'telegram',
    messageId: edited ? `${message.message_id}:edited:${message.edit_date ?? message.date}` : String(message.message_id),
    conversation: String(chat.id),
    ...(thread ? { thread } : {}),
    user: userOf(from),
    text: address.text,
    ...(voice ? { voice } : {}),
    sentAt: (edited ? (message.edit_date ?? message.date) : message.date) * 1000,
    receivedAt,
    ...(edited ? { edited: true } : {}),
    ...(message.forward_origin !== undefined || message.forward_date !== undefined ? { forwarded: true } : {}),
    ...(message.reply_to_message ? { replyTo: String(message.reply_to_message.message_id) } : {}),
  };
  return { updateId, messages: [sanitiseInbound(inbound)] };
}

function voiceOf(message: TelegramMessage): VoiceAttachment | undefined {
  const file = message.voice ?? message.audio;
  if (!file) return undefined;
  return {
    kind: message.voice ? 'voice' : 'audio',
    fileRef: file.file_id,
    ...(file.mime_type ? { declaredMimeType: file.mime_type } : {}),
    ...(file.file_size !== undefined ? { declaredSizeBytes: file.file_size } : {}),
    durationSeconds: file.duration,
  };
}

function userOf(user: TelegramUser): InboundUser {
  const name = [user.first_name, user.last_name].filter((part) => part && part.trim()).join(' ').trim();
  const displayName = name || user.username;
  return { id: String(user.id), ...(displayName ? { displayName } : {}), isBot: user.is_bot === true };
}

interface Address {
  /** `ours`: /cmd@thisbot; `other`: /cmd@otherbot; `bare`: /cmd; undefined: not a command. */
  command?: 'ours' | 'other' | 'bare';
  /** `@thisbot` (or a text mention of the bot) appears in the message. */
  mentioned: boolean;
  /** The text with `@thisbot` taken out of the command and the mentions. */
  text: string;
}

/**
 * Reads how a message addresses the bot from its entities (which Telegram computes, so a username
 * inside a URL or a code block is not a mention). Entity offsets count UTF-16 code units, as
 * JavaScript strings do. Removals run from the end so earlier offsets stay valid.
 */
function readAddress(text: string, entities: MessageEntity[], bot: BotIdentity): Address {
  const own = bot.username?.toLowerCase();
  let command: Address['command'];
  let mentioned = false;
  let result = text;
  const sorted = [...entities].sort((a, b) => b.offset - a.offset);
  for (const entity of sorted) {
    const slice = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === 'bot_command' && entity.offset === 0) {
      const at = slice.indexOf('@');
      if (at < 0) {
        command = 'bare';
      } else if (own && slice.slice(at + 1).toLowerCase() === own) {
        command = 'ours';
        result = result.slice(0, at) + result.slice(entity.length);
      } else {
        command = 'other';
      }
    } else if (entity.type === 'mention' && own && slice.toLowerCase() === `@${own}`) {
      mentioned = true;
      result = removeSpan(result, entity.offset, entity.length);
    } else if (entity.type === 'text_mention' && entity.user?.id === bot.id) {
      mentioned = true;
      result = removeSpan(result, entity.offset, entity.length);
    }
  }
  return { ...(command ? { command } : {}), mentioned, text: mentioned ? result.trim() : result };
}

/** Takes `@thisbot` out of "hey @thisbot, list my tasks" → "hey list my tasks". */
function removeSpan(text: string, offset: number, length: number): string {
  const before = text.slice(0, offset).replace(/[ \t]+$/, '');
  const after = text.slice(offset + length).replace(/^[,:]?[ \t]*/, '');
  return before && after && !before.endsWith('\n') ? `${before} ${after}` : before + after;
}

// --- button clicks ---

function fromCallbackQuery(updateId: number, query: CallbackQuery, receivedAt: number): ParsedUpdate {
  const base = { updateId, callbackQueryId: query.id };
  // A button under an inline-mode message has no chat to answer in; a game button has no data.
  if (!query.message) return { ...base, messages: [], ignored: 'a button on an inline message' };
  if (query.data === undefined) return { ...base, messages: [], ignored: 'a button without data' };
  const { message } = query;
  const thread = message.is_topic_message && message.message_thread_id !== undefined ? String(message.message_thread_id) : undefined;
  return {
    ...base,
    messages: [
      sanitiseInbound({
        channel: 'telegram',
        // Callback query ids are unique, and a redelivered update carries the same one.
        messageId: `callback:${query.id}`,
        conversation: String(message.chat.id),
        ...(thread ? { thread } : {}),
        user: userOf(query.from),
        text: query.data,
        receivedAt,
        viaButton: true,
        replyTo: String(message.message_id),
      }),
    ],
  };
}
