export {
  SlackFake,
  FAKE_SLACK_BOT_TOKEN,
  FAKE_SLACK_SIGNING_SECRET,
  FAKE_SLACK_TEAM_ID,
  FAKE_SLACK_BOT_USER_ID,
  FAKE_SLACK_BOT_ID,
  type SlackFakeOptions,
  type RecordedCall,
  type PostedMessage,
  type ScriptedFailure,
  type FakeFile,
  type SlackFakeBlock,
} from './slack-fake.js';
export { SlackWebhookSender, type SignOptions, type WebhookAnswer } from './slack-webhook-sender.js';
export {
  eventCallback,
  messageEvent,
  appMentionEvent,
  messageChangedEvent,
  slashCommand,
  blockActions,
  slackTs,
  type MessageEventInput,
  type SlashCommandInput,
} from './slack-payloads.js';
