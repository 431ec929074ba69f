import { randomBytes } from 'node:crypto';
import { FAKE_SLACK_BOT_USER_ID, FAKE_SLACK_TEAM_ID } from './slack-fake.js';

/**
 * Payloads as Slack sends them, shaped after the samples in Slack's reference pages (the `message`,
 * `app_mention`, `message_changed` events and their `event_callback` wrapper; the slash command form;
 * the `block_actions` payload). Each builder fills what a test leaves out.
 */

let counter = 0;

/** A fresh Slack timestamp ("1700000000.000123"), unique within the test run. */
export function slackTs(): string {
  counter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`;
}

function id(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** The `event_callback` wrapper around an inner event (Events API, "callback field"). */
export function eventCallback(event: Record<string, unknown>, options: { botUserId?: string; teamId?: string } = {}): Record<string, unknown> {
  const teamId = options.teamId ?? FAKE_SLACK_TEAM_ID;
  return {
    token: 'XXYYZZ',
    team_id: teamId,
    api_app_id: 'A0SWITCHBD',
    event,
    type: 'event_callback',
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: options.botUserId ?? FAKE_SLACK_BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    event_id: id('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

export interface MessageEventInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  channel_type?: 'im' | 'channel' | 'group' | 'mpim';
  files?: Record<string, unknown>[];
  parent_user_id?: string;
  bot_id?: string;
  subtype?: string;
}

/** A `message` event (message.im, message.channels, …). */
export function messageEvent(input: MessageEventInput): Record<string, unknown> {
  const ts = input.ts ?? slackTs();
  return {
    type: 'message',
    ...(input.subtype ? { subtype: input.subtype } : {}),
    channel: input.channel,
    user: input.user,
    text: input.text,
    ts,
    event_ts: ts,
    channel_type: input.channel_type ?? (input.channel.startsWith('D') ? 'im' : 'channel'),
    client_msg_id: randomUUIDish(),
    team: FAKE_SLACK_TEAM_ID,
    ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    ...(input.parent_user_id ? { parent_user_id: input.parent_user_id } : {}),
    ...(input.files ? { files: input.files, upload: false } : {}),
    ...(input.bot_id ? { bot_id: input.bot_id } : {}),
  };
}

/** An `app_mention` event: the same message, as the mention subscription delivers it. */
export function appMentionEvent(input: Omit<MessageEventInput, 'channel_type'>): Record<string, unknown> {
  const ts = input.ts ?? slackTs();
  return {
    type: 'app_mention',
    user: input.user,
    text: input.text,
    ts,
    channel: input.channel,
    event_ts: ts,
    client_msg_id: randomUUIDish(),
    team: FAKE_SLACK_TEAM_ID,
    ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
  };
}

/** A `message_changed` event: `message` is the message after the edit. */
export function messageChangedEvent(input: { channel: string; user: string; ts: string; text: string; previousText: string; thread_ts?: string }): Record<string, unknown> {
  const editTs = slackTs();
  const inner = { type: 'message', user: input.user, text: input.text, ts: input.ts, ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}) };
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: input.channel,
    channel_type: input.channel.startsWith('D') ? 'im' : 'channel',
    ts: editTs,
    event_ts: editTs,
    message: { ...inner, edited: { user: input.user, ts: editTs } },
    previous_message: { ...inner, text: input.previousText },
  };
}

export interface SlashCommandInput {
  command: string;
  text: string;
  channel_id: string;
  user_id: string;
  user_name?: string;
  trigger_id?: string;
}

/** The form fields of a slash command request, in the order Slack sends them. */
export function slashCommand(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: FAKE_SLACK_TEAM_ID,
    team_domain: 'switchboard-agency',
    channel_id: input.channel_id,
    channel_name: input.channel_id.startsWith('D') ? 'directmessage' : 'ops',
    user_id: input.user_id,
    user_name: input.user_name ?? input.user_id.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: 'A0SWITCHBD',
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/${FAKE_SLACK_TEAM_ID}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    trigger_id: input.trigger_id ?? `${Date.now()}.${counter++}.${randomBytes(16).toString('hex')}`,
  };
}

/** A `block_actions` payload: a click on `actionId` on the bot's message `messageTs`. */
export function blockActions(input: { user: string; channel: string; messageTs: string; threadTs?: string; actionId: string; value?: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), name: input.user.toLowerCase(), team_id: FAKE_SLACK_TEAM_ID },
    api_app_id: 'A0SWITCHBD',
    token: 'XXYYZZ',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false, ...(input.threadTs ? { thread_ts: input.threadTs } : {}) },
    trigger_id: `${Date.now()}.${counter++}.${randomBytes(16).toString('hex')}`,
    team: { id: FAKE_SLACK_TEAM_ID, domain: 'switchboard-agency' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'ops' },
    message: { type: 'message', user: FAKE_SLACK_BOT_USER_ID, ts: input.messageTs, ...(input.threadTs ? { thread_ts: input.threadTs } : {}), text: '…' },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${FAKE_SLACK_TEAM_ID}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    actions: [
      {
        action_id: input.actionId,
        block_id: `sb-${randomBytes(4).toString('hex')}`,
        text: { type: 'plain_text', text: input.actionId, emoji: true },
        value: input.value ?? input.actionId,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

function randomUUIDish(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
