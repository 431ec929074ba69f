export {
  createSlackChannel,
  SlackChannel,
  SLACK_WEBHOOK_PATHS,
  type SlackSettings,
  type SlackChannelOptions,
  type SlackIdentity,
} from './slack-channel.js';
export { parseSlackEvent, parseInnerEvent, tsToMs, type SlackEventContext, type SlackEventOutcome, type ThreadRef } from './slack-events.js';
export { parseSlashCommand, SLACK_SLASH_COMMANDS, type SlackSlashCommand, type SlashCommand } from './slack-commands.js';
export { parseSlackInteraction, SLACK_HANDLED_BUTTONS, type SlackInteractionOutcome } from './slack-interactivity.js';
export { renderSlackMessage, escapeMrkdwn, splitForSections, SLACK_SECTION_LIMIT, SLACK_MAX_BLOCKS, type SlackMessageBody, type SlackBlock } from './slack-format.js';
export { verifySlackSignature, computeSlackSignature, SLACK_SIGNATURE_MAX_AGE_SECONDS } from './verify-slack-signature.js';
export { plainTextFromSlack, mentionsUser } from './slack-text.js';
export { toChannelSendError, SlackAuthError, SlackFileTooLargeError, SlackFileUnavailableError } from './slack-errors.js';
export { downloadSlackFile, type SlackFileDownload } from './slack-media.js';
export { SlackThreads, type SlackThreadsOptions } from './slack-threads.js';
export { SlackSocketMode, socketPayloadKind, type SlackSocketModeOptions } from './slack-socket-mode.js';
