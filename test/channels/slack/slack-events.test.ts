import { describe, expect, it } from 'vitest';
import { parseSlackEvent, plainTextFromSlack, SlackThreads, type SlackEventContext } from '../../../channels/slack/index.js';
import { ManualClock } from '../../../core/clock.js';
import { APP_MENTION, APP_MENTION_BOT, BOT_MESSAGE, CHANNEL_MESSAGE, DIRECT_MESSAGE_EVENT, MESSAGE_CHANGED, MESSAGE_DELETED, URL_VERIFICATION } from './fixtures.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const BOT = APP_MENTION_BOT;

function context(overrides: Partial<SlackEventContext> = {}): SlackEventContext & { threads: SlackThreads } {
  return { botUserId: BOT, botId: 'B0LAN0Z89', threads: new SlackThreads({ clock: new ManualClock(NOW) }), now: NOW, ...overrides } as never;
}

function wrap(event: Record<string, unknown>) {
  return { ...CHANNEL_MESSAGE, event };
}

describe('the Events API envelope', () => {
  it('answers url_verification with its challenge', () => {
    expect(parseSlackEvent(URL_VERIFICATION, context())).toEqual({ kind: 'challenge', challenge: URL_VERIFICATION.challenge });
  });

  it('refuses what is not a Slack payload (400)', () => {
    for (const body of [null, [], 'hello', 42, {}, { type: '' }, { type: 'url_verification' }, { type: 'event_callback' }, { type: 'event_callback', event: {} }]) {
      expect(() => parseSlackEvent(body, context()), JSON.stringify(body)).toThrow(expect.objectContaining({ code: 'bad_request', status: 400 }));
    }
  });

  it('acknowledges envelope types it does not use', () => {
    expect(parseSlackEvent({ type: 'app_rate_limited', minute_rate_limited: 1518467820 }, context())).toMatchObject({ kind: 'ignored' });
    expect(parseSlackEvent({ type: 'something_new' }, context())).toMatchObject({ kind: 'ignored' });
    expect(parseSlackEvent(wrap({ type: 'reaction_added', user: 'U1', reaction: 'thumbsup' }), context())).toMatchObject({ kind: 'ignored' });
  });
});

describe('messages for the bot', () => {
  it("maps Slack's app_mention sample: the mention is removed, the message starts a thread, the thread is joined", () => {
    const outcome = parseSlackEvent(APP_MENTION, context());
    expect(outcome).toEqual({
      kind: 'message',
      message: {
        channel: 'slack',
        messageId: '1515449522.000016',
        conversation: 'C123ABC456',
        thread: '1515449522.000016',
        user: { id: 'U061F7AUR' },
        text: 'is it everything a river should be?',
        sentAt: 1515449522000,
        receivedAt: NOW,
      },
      join: { channel: 'C123ABC456', thread: '1515449522.000016' },
    });
  });

  it('maps the same message delivered as message and as app_mention to one conversation and message id', () => {
    const mention = parseSlackEvent(APP_MENTION, context());
    const asMessage = parseSlackEvent(wrap({ ...APP_MENTION.event, type: 'message', channel_type: 'channel' }), context());
    expect(asMessage).toEqual(mention);
  });

  it('uses the bot user named in the authorizations when auth.test has not answered', () => {
    const body = { ...wrap({ ...APP_MENTION.event, type: 'message', channel_type: 'channel' }), authorizations: [{ team_id: 'T1', user_id: BOT, is_bot: true }] };
    expect(parseSlackEvent(body, context({ botUserId: undefined }))).toMatchObject({ kind: 'message', message: { text: 'is it everything a river should be?' } });
  });

  it("maps a direct message (Slack's message.im sample) with no thread, and one already in a thread to that thread", () => {
    expect(parseSlackEvent(wrap(DIRECT_MESSAGE_EVENT), context())).toEqual({
      kind: 'message',
      message: {
        channel: 'slack',
        messageId: '1355517523.000005',
        conversation: 'D024BE91L',
        user: { id: 'U2147483697' },
        text: 'Hello hello can you hear me?',
        sentAt: 1355517523000,
        receivedAt: NOW,
      },
    });
    const inThread = parseSlackEvent(wrap({ ...DIRECT_MESSAGE_EVENT, ts: '1355517600.000001', thread_ts: '1355517523.000005' }), context());
    expect(inThread).toMatchObject({ kind: 'message', message: { thread: '1355517523.000005', replyTo: '1355517523.000005' } });
    expect(inThread).not.toHaveProperty('join');
  });

  it('reads a channel message only with a mention or in a thread the bot takes part in', () => {
    const ctx = context();
    expect(parseSlackEvent(CHANNEL_MESSAGE, ctx)).toEqual({ kind: 'ignored', reason: 'a channel message that does not mention the bot' });
    const reply = wrap({ ...CHANNEL_MESSAGE.event, ts: '1355517600.000001', thread_ts: '1355517523.000005', text: 'CONFIRM DELETE TASK 3' });
    expect(parseSlackEvent(reply, ctx)).toMatchObject({ kind: 'ignored', reason: 'a channel thread the bot takes no part in' });
    ctx.threads.remember('C123ABC456', '1355517523.000005');
    expect(parseSlackEvent(reply, ctx)).toMatchObject({
      kind: 'message',
      message: { conversation: 'C123ABC456', thread: '1355517523.000005', text: 'CONFIRM DELETE TASK 3' },
    });
    // A thread the bot started itself needs no memory.
    const underBot = wrap({ ...CHANNEL_MESSAGE.event, ts: '1355517700.000001', thread_ts: '1355517650.000001', parent_user_id: BOT });
    expect(parseSlackEvent(underBot, context())).toMatchObject({ kind: 'message', message: { thread: '1355517650.000001' } });
  });

  it('treats a private channel and a group DM like a channel', () => {
    for (const channel_type of ['group', 'mpim']) {
      expect(parseSlackEvent(wrap({ ...CHANNEL_MESSAGE.event, channel: 'G8PSS9T3V', channel_type }), context())).toMatchObject({ kind: 'ignored' });
    }
  });

  it('turns an audio file into a voice note, and ignores a message with nothing to read', () => {
    const file = { id: 'F0VOICE01', name: 'audio_message.m4a', mimetype: 'audio/mp4', filetype: 'm4a', size: 48213, subtype: 'slack_audio', duration_ms: 5120 };
    const voice = parseSlackEvent(wrap({ ...DIRECT_MESSAGE_EVENT, subtype: 'file_share', text: '', files: [file] }), context());
    expect(voice).toMatchObject({
      kind: 'message',
      message: { text: '', voice: { kind: 'voice', fileRef: 'F0VOICE01', declaredMimeType: 'audio/mp4', declaredSizeBytes: 48213, durationSeconds: 5.12 } },
    });
    const image = { id: 'F0IMAGE01', name: 'logo.png', mimetype: 'image/png', size: 1000 };
    expect(parseSlackEvent(wrap({ ...DIRECT_MESSAGE_EVENT, subtype: 'file_share', text: '', files: [image] }), context())).toMatchObject({ kind: 'ignored' });
  });

  it('refuses a message event without the fields every message has (400)', () => {
    for (const missing of ['channel', 'user', 'ts']) {
      const event: Record<string, unknown> = { ...DIRECT_MESSAGE_EVENT };
      delete event[missing];
      expect(() => parseSlackEvent(wrap(event), context()), missing).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => parseSlackEvent(wrap({ ...DIRECT_MESSAGE_EVENT, ts: 'yesterday' }), context())).toThrow(/ts/);
  });
});

describe('edits, deletions and bots', () => {
  it("maps an edit as an edited message with its own id (Slack's sample, in a DM), and ignores the channel sample", () => {
    expect(parseSlackEvent(MESSAGE_CHANGED, context())).toMatchObject({ kind: 'ignored' });
    const inDm = { ...MESSAGE_CHANGED, event: { ...MESSAGE_CHANGED.event, channel: 'D024BE91L', channel_type: 'im' } };
    expect(parseSlackEvent(inDm, context())).toEqual({
      kind: 'message',
      message: {
        channel: 'slack',
        messageId: '1355517523.000005:edited:1358878755.000001',
        conversation: 'D024BE91L',
        user: { id: 'U123ABC456' },
        text: 'Hello, world!',
        edited: true,
        sentAt: 1358878755000,
        receivedAt: NOW,
      },
    });
  });

  it('maps an edit in a joined thread to that thread, and ignores changes that are not edits of the text', () => {
    const ctx = context();
    ctx.threads.remember('C123ABC456', '1355517500.000001');
    const edit = {
      ...MESSAGE_CHANGED,
      event: {
        ...MESSAGE_CHANGED.event,
        message: { ...MESSAGE_CHANGED.event.message, text: 'CONFIRM DELETE TASK 3', thread_ts: '1355517500.000001' },
        previous_message: { type: 'message', user: 'U123ABC456', text: 'confirm delete task', ts: '1355517523.000005' },
      },
    };
    expect(parseSlackEvent(edit, ctx)).toMatchObject({ kind: 'message', message: { thread: '1355517500.000001', edited: true, text: 'CONFIRM DELETE TASK 3' } });
    const unchanged = { ...edit, event: { ...edit.event, previous_message: { ...edit.event.previous_message, text: 'CONFIRM DELETE TASK 3' } } };
    expect(parseSlackEvent(unchanged, ctx)).toMatchObject({ kind: 'ignored', reason: 'an edit that left the text unchanged' });
    // The thread's first message (the request that started it) edited: still in that thread.
    ctx.threads.remember('C123ABC456', '1355517523.000005');
    const root = { ...MESSAGE_CHANGED, event: { ...MESSAGE_CHANGED.event, message: { ...MESSAGE_CHANGED.event.message, text: 'CONFIRM DELETE TASK 3' } } };
    expect(parseSlackEvent(root, ctx)).toMatchObject({ kind: 'message', message: { thread: '1355517523.000005', edited: true } });
    const unfurl = { ...edit, event: { ...edit.event, message: { ...edit.event.message, edited: undefined } } };
    expect(parseSlackEvent(unfurl, ctx)).toMatchObject({ kind: 'ignored' });
  });

  it("acknowledges deletions and bot messages (Slack's samples) without handling them", () => {
    expect(parseSlackEvent(MESSAGE_DELETED, context())).toEqual({ kind: 'ignored', reason: 'a message was deleted' });
    expect(parseSlackEvent(BOT_MESSAGE, context())).toEqual({ kind: 'ignored', reason: 'a message from a bot' });
    const withBotId = wrap({ ...DIRECT_MESSAGE_EVENT, bot_id: 'B0OTHER01' });
    expect(parseSlackEvent(withBotId, context())).toMatchObject({ kind: 'ignored', reason: 'a message from a bot' });
  });

  it('ignores its own messages, and marks a thread it posted in as joined', () => {
    const own = wrap({ type: 'message', channel: 'C123ABC456', user: BOT, bot_id: 'B0LAN0Z89', text: 'Task #3 created', ts: '1355517601.000001', thread_ts: '1355517600.000001', channel_type: 'channel' });
    expect(parseSlackEvent(own, context())).toEqual({ kind: 'ignored', reason: 'our own message', join: { channel: 'C123ABC456', thread: '1355517600.000001' } });
  });
});

describe('plain text from Slack text', () => {
  it('removes the bot mention, keeps others readable, unwraps links and unescapes entities', () => {
    expect(plainTextFromSlack('<@U0BOT> check <http://soarix.io|soarix.io> &amp; <#C1|ops>', 'U0BOT')).toBe('check soarix.io & #ops');
    expect(plainTextFromSlack('assign it to <@U0ANA|ana> and <@U0BOB>', 'U0BOT')).toBe('assign it to @ana and @U0BOB');
    expect(plainTextFromSlack('mail <mailto:jo@acme.com|jo@acme.com> or <https://acme.com>', 'U0BOT')).toBe('mail jo@acme.com or https://acme.com');
    expect(plainTextFromSlack('<!here> 1 &lt; 2 &gt; 0', 'U0BOT')).toBe('@here 1 < 2 > 0');
    expect(plainTextFromSlack('  <@U0BOT|switchboard>   CONFIRM DELETE TASK 3 ', 'U0BOT')).toBe('CONFIRM DELETE TASK 3');
  });
});
