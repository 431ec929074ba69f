export {
  createTelegramChannel,
  TelegramChannel,
  TELEGRAM_WEBHOOK_PATH,
  DEFAULT_TELEGRAM_API_ROOT,
  type TelegramSettings,
  type TelegramChannelDeps,
  type TelegramChannelOptions,
} from './telegram-channel.js';
export { parseUpdate, readUpdate, type ParsedUpdate, type BotIdentity } from './parse-update.js';
export { renderMessage, splitText, escapeHtml, inlineKeyboard, TELEGRAM_TEXT_LIMIT, type SendMessageRequest, type InlineKeyboardMarkup } from './format-message.js';
export { toChannelSendError, TelegramMediaError } from './telegram-errors.js';
export { UpdatePoller, type UpdatePollerOptions } from './telegram-poller.js';
export { secretTokenMatches } from './webhook-secret.js';
export { UpdateSchema, ALLOWED_UPDATES, type Update, type TelegramMessage, type CallbackQuery } from './telegram-update.js';
