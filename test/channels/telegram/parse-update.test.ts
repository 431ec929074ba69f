import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUpdate, readUpdate, type BotIdentity } from '../../../channels/telegram/index.js';
import { BadRequestError } from '../../../core/errors.js';
import { computeEntities } from '../../support/fakes/telegram/index.js';

/** The sample updates of Telegram's webhook guide, as published. */
const docs = JSON.parse(readFileSync(new URL('./fixtures/webhook-guide-updates.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const BOT: BotIdentity = { id: 7000000001, username: 'switchboard_test_bot' };
const AT = Date.parse('2026-03-02T09:00:00Z');
const parse = (update: unknown, bot: BotIdentity = BOT) => parseUpdate(readUpdate(Buffer.from(JSON.stringify(update))), bot, AT);

const ana = { id: 501, is_bot: false, first_name: 'Ana', last_name: 'Silva', username: 'ana_s' };
const group = { id: -1001234567890, type: 'supergroup', title: 'Ops' };

/** A group message with the entities Telegram computes. */
function groupMessage(text: string, extra: Record<string, unknown> = {}) {
  const entities = computeEntities(text);
  return { update_id: 1, message: { message_id: 77, from: ana, chat: group, date: 1772442000, text, ...(entities.length ? { entities } : {}), ...extra } };
}

describe('the webhook guide sample updates', () => {
  it('a text message: chat id as conversation, message_id as message id, the sender by name', () => {
    const { messages } = parse(docs.messageWithText);
    expect(messages).toEqual([
      {
        channel: 'telegram',
        messageId: '1365',
        conversation: '1111111',
        user: { id: '1111111', displayName: 'Test Firstname Test Lastname', isBot: false },
        text: '/start',
        sentAt: 1441645532_000,
        receivedAt: AT,
      },
    ]);
  });

  it('a forwarded message (pre-7.0 forward_date) is marked forwarded, from a person or a channel', () => {
    expect(parse(docs.forwardedMessage).messages[0]).toMatchObject({ forwarded: true, text: '/start', user: { id: '1111111' } });
    expect(parse(docs.forwardedChannelMessage).messages[0]).toMatchObject({ forwarded: true });
  });

  it('a reply carries the replied message id', () => {
    expect(parse(docs.messageWithReply).messages[0]).toMatchObject({ replyTo: '1334', text: '/start' });
  });

  it('an edited message is marked edited, with a message id of its own', () => {
    const [edited] = parse(docs.editedMessage).messages;
    expect(edited).toMatchObject({ messageId: '1365:edited:1441646600', edited: true, text: 'Edited text', sentAt: 1441646600_000 });
    expect(edited!.messageId).not.toBe(parse(docs.messageWithText).messages[0]!.messageId);
  });

  it('formatting entities leave the text as typed', () => {
    expect(parse(docs.messageWithEntities).messages[0]).toMatchObject({ text: 'Bold and italics' });
  });

  it('a voice note and an audio file become a voice attachment with an empty text', () => {
    expect(parse(docs.voiceMessage).messages[0]).toMatchObject({
      text: '',
      voice: { kind: 'voice', fileRef: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', declaredMimeType: 'audio/ogg', declaredSizeBytes: 23000, durationSeconds: 5 },
    });
    expect(parse(docs.messageWithAudio).messages[0]).toMatchObject({
      text: '',
      voice: { kind: 'audio', fileRef: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', declaredMimeType: 'audio/mpeg', declaredSizeBytes: 3897500, durationSeconds: 243 },
    });
  });

  it('a document without a caption, inline queries and chosen results are acknowledged and dropped', () => {
    for (const name of ['messageWithDocument', 'inlineQuery', 'chosenInlineResult']) {
      const parsed = parse(docs[name]);
      expect(parsed.messages, name).toEqual([]);
      expect(parsed.ignored, name).toBeTruthy();
    }
  });

  it("the sample callback query (a button on an inline message) has no chat: answered, not handed on", () => {
    const parsed = parse(docs.callbackQuery);
    expect(parsed.callbackQueryId).toBe('4382bfdwdsb323b2d9');
    expect(parsed.messages).toEqual([]);
  });
});

describe('button clicks', () => {
  const clickOn = (data: string | undefined) => ({
    update_id: 9,
    callback_query: {
      id: '4382bfdwdsb323b2d9',
      from: ana,
      message: { message_id: 12, chat: group, date: 1772442000, text: 'Type exactly: CONFIRM DELETE TASK 3' },
      chat_instance: '-4275307004297034',
      ...(data !== undefined ? { data } : {}),
    },
  });

  it("our Cancel button: the button's id as text, marked as a click, to be answered", () => {
    const parsed = parse(clickOn('cancel'));
    expect(parsed.callbackQueryId).toBe('4382bfdwdsb323b2d9');
    expect(parsed.messages).toEqual([
      {
        channel: 'telegram',
        messageId: 'callback:4382bfdwdsb323b2d9',
        conversation: '-1001234567890',
        user: { id: '501', displayName: 'Ana Silva', isBot: false },
        text: 'cancel',
        receivedAt: AT,
        viaButton: true,
        replyTo: '12',
      },
    ]);
  });

  it('any other data is still only a click: the agent refuses clicks as confirmations', () => {
    expect(parse(clickOn('CONFIRM DELETE TASK 3')).messages[0]).toMatchObject({ text: 'CONFIRM DELETE TASK 3', viaButton: true });
  });

  it('a click without data (a game button) is answered and dropped', () => {
    const parsed = parse(clickOn(undefined));
    expect(parsed).toMatchObject({ callbackQueryId: '4382bfdwdsb323b2d9', messages: [] });
  });
});

describe('groups: only what is addressed to the bot', () => {
  it('a command naming the bot, with the name taken off', () => {
    expect(parse(groupMessage('/help@switchboard_test_bot')).messages[0]).toMatchObject({ text: '/help', conversation: '-1001234567890' });
    expect(parse(groupMessage('/approve@Switchboard_Test_Bot K7PX2M9Q developer')).messages[0]!.text).toBe('/approve K7PX2M9Q developer');
  });

  it('a bare command (it names no other bot)', () => {
    expect(parse(groupMessage('/cancel')).messages[0]!.text).toBe('/cancel');
  });

  it('not a command for another bot', () => {
    const parsed = parse(groupMessage('/help@other_helper_bot'));
    expect(parsed.messages).toEqual([]);
    expect(parsed.ignored).toMatch(/another bot/);
  });

  it('a mention, which is removed from the text', () => {
    expect(parse(groupMessage('@switchboard_test_bot remind me to call John')).messages[0]!.text).toBe('remind me to call John');
    expect(parse(groupMessage('hey @switchboard_test_bot, list my tasks')).messages[0]!.text).toBe('hey list my tasks');
    expect(parse(groupMessage('CONFIRM DELETE TASK 3 @switchboard_test_bot')).messages[0]!.text).toBe('CONFIRM DELETE TASK 3');
  });

  it('a mention alone, with nothing to act on, is dropped', () => {
    expect(parse(groupMessage('@switchboard_test_bot')).messages).toEqual([]);
  });

  it('only real mention entities count: the name inside a URL or another word does not', () => {
    const text = 'see https://t.me/switchboard_test_bot for details';
    expect(parse(groupMessage(text, { entities: [{ type: 'url', offset: 4, length: 32 }] })).messages).toEqual([]);
  });

  it("a reply to one of the bot's messages", () => {
    const reply = { message_id: 70, from: { id: BOT.id, is_bot: true, first_name: 'Switchboard', username: BOT.username }, chat: group, date: 1772441900, text: 'To go ahead…' };
    expect(parse(groupMessage('CONFIRM DELETE TASK 3', { reply_to_message: reply })).messages[0]).toMatchObject({ text: 'CONFIRM DELETE TASK 3', replyTo: '70' });
  });

  it('a reply to someone else, and other chatter, is dropped', () => {
    const reply = { message_id: 71, from: { id: 502, is_bot: false, first_name: 'Bob' }, chat: group, date: 1772441900, text: 'lunch?' };
    expect(parse(groupMessage('sure', { reply_to_message: reply })).messages).toEqual([]);
    expect(parse(groupMessage('deploy soarix-web to production')).messages).toEqual([]);
    expect(parse({ ...groupMessage('x'), message: { ...groupMessage('x').message, chat: { id: -4000, type: 'group', title: 'Old group' } } }).messages).toEqual([]);
  });

  it('without the username (getMe failed) commands naming a bot and mentions cannot be matched, replies still can', () => {
    const unknown: BotIdentity = { id: BOT.id };
    expect(parse(groupMessage('/help@switchboard_test_bot'), unknown).messages).toEqual([]);
    expect(parse(groupMessage('/help'), unknown).messages).toHaveLength(1);
  });

  it('a forum topic is the thread; a plain reply thread is not', () => {
    expect(parse(groupMessage('/help', { message_thread_id: 42, is_topic_message: true })).messages[0]).toMatchObject({ thread: '42' });
    expect(parse(groupMessage('/help', { message_thread_id: 42 })).messages[0]!.thread).toBeUndefined();
  });

  it('in a private chat everything is for the bot, with `@botname` still taken off commands', () => {
    const update = { update_id: 3, message: { message_id: 5, from: ana, chat: { id: 501, type: 'private', first_name: 'Ana' }, date: 1772442000, text: '/start@switchboard_test_bot', entities: computeEntities('/start@switchboard_test_bot') } };
    expect(parse(update).messages[0]!.text).toBe('/start');
  });
});

describe('senders and kinds', () => {
  it('forward_origin (Bot API 7.0+) marks a forward', () => {
    const update = groupMessage('/help', { forward_origin: { type: 'user', date: 1772441000, sender_user: { id: 9, is_bot: false, first_name: 'Eve' } } });
    expect(parse(update).messages[0]!.forwarded).toBe(true);
  });

  it('a bot sender is marked (it can never confirm); a username stands in for a missing name', () => {
    const update = groupMessage('/help', { from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' } });
    expect(parse(update).messages[0]!.user).toEqual({ id: '1087968824', displayName: 'Group', isBot: true });
  });

  it('a captioned voice note takes the caption as text; in a group the caption must address the bot', () => {
    const voice = { file_id: 'AwACAgIAAxkBAAIB', file_unique_id: 'AgADrw', duration: 3, mime_type: 'audio/ogg', file_size: 9000 };
    const caption = '@switchboard_test_bot for the ops list';
    const update = groupMessage('', { text: undefined, voice, caption, caption_entities: computeEntities(caption) });
    expect(parse(update).messages[0]).toMatchObject({ text: 'for the ops list', voice: { fileRef: 'AwACAgIAAxkBAAIB' } });
    expect(parse(groupMessage('', { text: undefined, voice })).messages).toEqual([]);
  });

  it('channel posts, service messages and stickers are dropped', () => {
    expect(parse({ update_id: 4, channel_post: { message_id: 1, chat: { id: -100555, type: 'channel', title: 'News' }, date: 1, text: 'hi' } }).messages).toEqual([]);
    expect(parse({ update_id: 5, message: { message_id: 2, from: ana, chat: group, date: 1, new_chat_members: [ana] } }).messages).toEqual([]);
    expect(parse({ update_id: 6, message: { message_id: 3, from: ana, chat: { id: 501, type: 'private', first_name: 'Ana' }, date: 1, sticker: { file_id: 'x' } } }).messages).toEqual([]);
  });

  it('the same update read twice maps to the same message id', () => {
    const update = groupMessage('/help');
    expect(parse(update).messages[0]!.messageId).toBe(parse(structuredClone(update)).messages[0]!.messageId);
  });
});

describe('reading a webhook body', () => {
  it('refuses what is not JSON, or not an Update, as a bad request', () => {
    expect(() => readUpdate(Buffer.from('{"update_id": 1,'))).toThrow(BadRequestError);
    expect(() => readUpdate(Buffer.from('[]'))).toThrow(/not a Telegram Update/);
    expect(() => readUpdate(Buffer.from('{"update_id": "one"}'))).toThrow(/update_id/);
    expect(() => readUpdate(Buffer.from('{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1}}'))).toThrow(/message\.chat\.type/);
  });

  it('ignores fields it does not read, so new Bot API fields never cause a 400', () => {
    expect(() => readUpdate(Buffer.from(JSON.stringify({ ...groupMessage('/help'), business_message: { whatever: true }, brand_new_field: 1 })))).not.toThrow();
  });
});
