import { z } from 'zod';

/**
 * The parts of a Telegram Bot API `Update` this channel reads, validated with zod
 * (https://core.telegram.org/bots/api#update). Objects are loose: Telegram adds fields often, and a
 * field we do not read must never turn a genuine update into a 400 (Telegram would retry it for
 * hours). Fields we do read are checked for their documented type.
 *
 * Where the Bot API says a field is always present but the documentation's own sample updates
 * (core.telegram.org/bots/webhooks, "Testing your bot with updates") leave it out, it is optional
 * here: `User.is_bot` (absent means a person), `Voice.file_unique_id`, `CallbackQuery.chat_instance`.
 */

// Telegram ids fit in 52 bits; they are numbers in JSON and strings in our message model.
const Id = z.number().int();

export const TelegramUserSchema = z.looseObject({
  id: Id,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
export type TelegramUser = z.infer<typeof TelegramUserSchema>;

export const TELEGRAM_CHAT_TYPES = ['private', 'group', 'supergroup', 'channel'] as const;

export const TelegramChatSchema = z.looseObject({
  id: Id,
  type: z.enum(TELEGRAM_CHAT_TYPES),
  title: z.string().optional(),
  username: z.string().optional(),
  is_forum: z.boolean().optional(),
});
export type TelegramChat = z.infer<typeof TelegramChatSchema>;

/** https://core.telegram.org/bots/api#messageentity; offsets and lengths are in UTF-16 code units. */
export const MessageEntitySchema = z.looseObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  user: TelegramUserSchema.optional(),
});
export type MessageEntity = z.infer<typeof MessageEntitySchema>;

/** https://core.telegram.org/bots/api#voice */
export const VoiceSchema = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string().optional(),
  duration: z.number().int().nonnegative(),
  mime_type: z.string().optional(),
  file_size: z.number().int().nonnegative().optional(),
});

/** https://core.telegram.org/bots/api#audio (a music file or a recording sent as a file). */
export const AudioSchema = VoiceSchema.extend({
  title: z.string().optional(),
  performer: z.string().optional(),
  file_name: z.string().optional(),
});

/** A message this one replies to. Telegram never nests `reply_to_message` further. */
const RepliedMessageSchema = z.looseObject({
  message_id: Id,
  from: TelegramUserSchema.optional(),
  chat: TelegramChatSchema,
});

/** https://core.telegram.org/bots/api#message */
export const TelegramMessageSchema = z.looseObject({
  message_id: Id,
  /** Forum topic (or private-chat thread) the message belongs to. */
  message_thread_id: Id.optional(),
  is_topic_message: z.boolean().optional(),
  from: TelegramUserSchema.optional(),
  sender_chat: TelegramChatSchema.optional(),
  chat: TelegramChatSchema,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  entities: z.array(MessageEntitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(MessageEntitySchema).optional(),
  reply_to_message: RepliedMessageSchema.optional(),
  /** Bot API 7.0+: where a forwarded message came from. */
  forward_origin: z.looseObject({ type: z.string() }).optional(),
  /** Before Bot API 7.0 (and in the documentation's samples): the date of the original message. */
  forward_date: z.number().int().optional(),
  voice: VoiceSchema.optional(),
  audio: AudioSchema.optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessageSchema>;

/**
 * https://core.telegram.org/bots/api#callbackquery. `message` may be an InaccessibleMessage
 * (`date: 0`, only `chat` and `message_id`), which this schema also accepts.
 */
export const CallbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: TelegramUserSchema,
  message: z.looseObject({ message_id: Id, chat: TelegramChatSchema, message_thread_id: Id.optional(), is_topic_message: z.boolean().optional() }).optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuerySchema>;

/** https://core.telegram.org/bots/api#update: the kinds this channel handles; other kinds pass as unknown. */
export const UpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessageSchema.optional(),
  edited_message: TelegramMessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
});
export type Update = z.infer<typeof UpdateSchema>;

/** The update kinds asked for in setWebhook and getUpdates (`allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;
