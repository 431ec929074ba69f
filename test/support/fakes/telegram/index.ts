export {
  TelegramFake,
  FAKE_TELEGRAM_TOKEN,
  computeEntities,
  type TelegramFakeOptions,
  type FakeUpdate,
  type FakeMessage,
  type FakeUser,
  type FakeChat,
  type FakeFile,
  type FakeEntity,
  type SentMessage,
  type RecordedCall,
  type WebhookInfo,
} from './telegram-fake.js';
export { parseTelegramHtml, TelegramHtmlError, type ParsedHtml, type HtmlEntity } from './telegram-html.js';
