/**
 * Sample payloads from Slack's own reference pages, kept as published (only the comment says where
 * each comes from), so the parsers are tested against what Slack documents rather than what we assume.
 */

/** https://api.slack.com/events/url_verification */
export const URL_VERIFICATION = {
  token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
  challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
  type: 'url_verification',
};

/** https://docs.slack.dev/reference/events/app_mention: the bot is U0LAN0Z89. */
export const APP_MENTION = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: {
    type: 'app_mention',
    user: 'U061F7AUR',
    text: '<@U0LAN0Z89> is it everything a river should be?',
    ts: '1515449522.000016',
    channel: 'C123ABC456',
    event_ts: '1515449522000016',
  },
  type: 'event_callback',
  authorizations: [{ team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false, is_enterprise_install: false }],
  event_id: 'Ev123ABC456',
  event_time: 123456789,
};
export const APP_MENTION_BOT = 'U0LAN0Z89';

/** https://docs.slack.dev/reference/events/message: a channel message (it mentions nobody). */
export const CHANNEL_MESSAGE = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: { type: 'message', channel: 'C123ABC456', user: 'U123ABC456', text: 'Hello world', ts: '1355517523.000005', channel_type: 'channel' },
  type: 'event_callback',
  authorizations: [{ team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false, is_enterprise_install: false }],
  event_id: 'Ev123ABC456',
  event_time: 123456789,
};

/** https://api.slack.com/events/message.im: the inner event of a direct message. */
export const DIRECT_MESSAGE_EVENT = {
  type: 'message',
  channel: 'D024BE91L',
  user: 'U2147483697',
  text: 'Hello hello can you hear me?',
  ts: '1355517523.000005',
  event_ts: '1355517523.000005',
  channel_type: 'im',
};

/** https://docs.slack.dev/reference/events/message/message_changed */
export const MESSAGE_CHANGED = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: 'C123ABC456',
    ts: '1358878755.000001',
    message: { type: 'message', user: 'U123ABC456', text: 'Hello, world!', ts: '1355517523.000005', edited: { user: 'U123ABC456', ts: '1358878755.000001' } },
  },
  type: 'event_callback',
  authorizations: [{ team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false, is_enterprise_install: false }],
  event_id: 'Ev123ABC456',
  event_time: 123456789,
};

/** https://docs.slack.dev/reference/events/message/message_deleted */
export const MESSAGE_DELETED = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: { type: 'message', subtype: 'message_deleted', hidden: true, channel: 'C123ABC456', ts: '1358878755.000001', deleted_ts: '1358878749.000002' },
  type: 'event_callback',
  authorizations: [{ team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false, is_enterprise_install: false }],
  event_id: 'Ev123ABC456',
  event_time: 123456789,
};

/** https://docs.slack.dev/reference/events/message/bot_message (the sample has no channel). */
export const BOT_MESSAGE = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: { type: 'message', subtype: 'bot_message', ts: '1358877455.000010', text: 'Pushing is the answer', bot_id: 'BB12033', username: 'github', icons: {} },
  type: 'event_callback',
  authorizations: [{ team_id: 'T123ABC456', is_bot: false, is_enterprise_install: false }],
  event_id: 'Ev123ABC456',
  event_time: 123456789,
};

/**
 * https://api.slack.com/interactivity/slash-commands ("app command handling"): the sample form, one
 * field per line in the page. Its command is `/weather`.
 */
export const SLASH_COMMAND_FORM =
  'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&enterprise_name=Globular%20Construct%20Inc' +
  '&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=/weather&text=94070' +
  '&response_url=https://hooks.slack.com/commands/1234/5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456';

/** https://api.slack.com/authentication/verifying-requests-from-slack: the worked example. */
export const SIGNING_EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

/** https://api.slack.com/reference/interaction-payloads/block-actions: the sample payload. */
export const BLOCK_ACTIONS = {
  type: 'block_actions',
  team: { id: 'T9TK3CUKW', domain: 'example' },
  user: { id: 'UA8RXUSPL', username: 'jtorrance', team_id: 'T9TK3CUKW' },
  api_app_id: 'AABA1ABCD',
  token: '9s8d9as89d8as9d8as989',
  container: { type: 'message_attachment', message_ts: '1548261231.000200', attachment_id: 1, channel_id: 'CBR2V3XEX', is_ephemeral: false, is_app_unfurl: false },
  trigger_id: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
  channel: { id: 'CBR2V3XEX', name: 'review-updates' },
  message: {
    bot_id: 'BAH5CA16Z',
    type: 'message',
    text: "This content can't be displayed.",
    user: 'UAJ2RU415',
    ts: '1548261231.000200',
  },
  response_url: 'https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209',
  actions: [
    { action_id: 'WaXA', block_id: '=qXel', text: { type: 'plain_text', text: 'View', emoji: true }, value: 'click_me_123', type: 'button', action_ts: '1548426417.840180' },
  ],
};
