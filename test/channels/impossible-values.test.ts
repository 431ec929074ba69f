import { describe, expect, it } from 'vitest';
import { UnstorableInputError } from '../../channels/index.js';
import { parseSlackEvent, parseSlashCommand, parseSlackInteraction, SlackThreads } from '../../channels/slack/index.js';
import { parseUpdate, readUpdate } from '../../channels/telegram/index.js';
import { parseNotification } from '../../channels/whatsapp/index.js';
import { ManualClock } from '../../core/clock.js';
import { blockActions, eventCallback, messageChangedEvent, messageEvent, slashCommand } from '../support/fakes/slack/index.js';
import { TelegramFake } from '../support/fakes/telegram/index.js';
import { inbound, newWamid, SAMPLE_USER } from '../support/fakes/whatsapp/index.js';

/**
 * Impossible timestamps and ids, parser by parser (issue 9, findings 2 and 3): one item is refused
 * (UnstorableInputError, a 400 at the HTTP boundary) or, in a batch, left out while the good items stay.
 */
const NOW = Date.parse('2026-03-02T09:00:00Z');
const ANA = TelegramFake.user(1111111, 'Ana');
const slackContext = () => ({ botUserId: 'U0SWITCHBD', threads: new SlackThreads({ clock: new ManualClock(NOW) }), now: NOW });

describe('Telegram', () => {
  const fake = new TelegramFake();
  const message = (extra: Record<string, unknown>) => readUpdate(fake.message({ chat: TelegramFake.privateChat(ANA), from: ANA, text: 'hello', extra }));

  it('refuses a date no Date can hold, and an edit date likewise', () => {
    expect(() => parseUpdate(message({ date: 99_999_999_999_999 }), { id: 1 }, NOW)).toThrow(UnstorableInputError);
    const edited = readUpdate({ update_id: 1, edited_message: { ...(fake.message({ chat: TelegramFake.privateChat(ANA), from: ANA, text: 'hi' }).message as Record<string, unknown>), edit_date: 9_000_000_000_000 } });
    expect(() => parseUpdate(edited, { id: 1 }, NOW)).toThrow(/sentAt is not a possible time/);
  });

  it('refuses ids past Number.MAX_SAFE_INTEGER at the schema (400), never as a rounded id', () => {
    expect(() => readUpdate(Buffer.from('{"update_id":1,"message":{"message_id":123456789012345678901234567890,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}'))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });

  it('keeps a message whose names and text hold NUL or lone surrogates, cleaned', () => {
    const update = readUpdate(fake.message({ chat: TelegramFake.privateChat(ANA), from: { ...ANA, first_name: 'A\u0000na\ud800' }, text: 'he\u0000llo' }));
    const [parsed] = parseUpdate(update, { id: 1 }, NOW).messages;
    expect(parsed).toMatchObject({ text: 'hello', user: { displayName: 'Ana\ufffd' } });
  });
});

describe('Slack', () => {
  it('refuses a ts past what a Date holds', () => {
    const ts = '99999999999999999999.000001';
    expect(() => parseSlackEvent(eventCallback(messageEvent({ channel: 'D1', user: 'U1', text: 'hi', ts })), slackContext())).toThrow(UnstorableInputError);
  });

  it('refuses an edit whose event_ts holds NUL (it is part of the message id)', () => {
    const event = { ...messageChangedEvent({ channel: 'D1', user: 'U1', ts: '1700000000.000100', text: 'new', previousText: 'old' }), event_ts: '1700000001.0\u0000' };
    expect(() => parseSlackEvent(eventCallback(event), slackContext())).toThrow(/messageId/);
  });

  it('refuses a slash command or a button click whose ids hold NUL', () => {
    expect(() => parseSlashCommand(slashCommand({ command: '/task', text: 'list', channel_id: 'C1\u0000', user_id: 'U1' }), NOW)).toThrow(UnstorableInputError);
    expect(() => parseSlackInteraction(blockActions({ user: 'U\u00001', channel: 'D1', messageTs: '1700000000.000100', actionId: 'cancel' }), NOW)).toThrow(UnstorableInputError);
  });
});

describe('WhatsApp (a batch)', () => {
  const options = { phoneNumberId: '106540352242922', receivedAt: NOW };

  it('keeps the good message beside a status at timestamp 99999999999999999 (finding 3)', () => {
    const payload = inbound.text(SAMPLE_USER, 'hello') as any;
    payload.entry[0].changes[0].value.statuses = [{ id: newWamid(), status: 'delivered', timestamp: '99999999999999999', recipient_id: SAMPLE_USER.waId }];
    const parsed = parseNotification(payload, options);
    expect(parsed.messages.map((m) => m.text)).toEqual(['hello']);
    expect(parsed.statuses).toEqual([]);
    expect(parsed.skipped).toEqual([{ reason: 'status that cannot be stored: timestamp is not a possible time' }]);
  });

  it('keeps the good message beside a message with an impossible timestamp or an unstorable id', () => {
    const payload = inbound.text(SAMPLE_USER, 'hello') as any;
    const value = payload.entry[0].changes[0].value;
    value.messages.push(
      { ...value.messages[0], id: newWamid(), timestamp: '99999999999999999' },
      { ...value.messages[0], id: 'wamid.\ud800' },
      { ...value.messages[0], id: newWamid(), from: '1\u00002' },
    );
    const parsed = parseNotification(payload, options);
    expect(parsed.messages).toHaveLength(1);
    expect(parsed.skipped.map((s) => s.reason)).toEqual([
      'message that cannot be stored: sentAt is not a possible time.',
      expect.stringMatching(/^message that cannot be stored: messageId contains a NUL character or an unpaired UTF-16 surrogate/),
      expect.stringMatching(/^message that cannot be stored: conversation contains/),
    ]);
  });

  it('keeps the good change beside a malformed one, and refuses a notification with nothing good (400)', () => {
    const payload = inbound.text(SAMPLE_USER, 'hello') as any;
    payload.entry[0].changes.push({ field: 'messages', value: null }, 'not a change');
    payload.entry.push({ id: 5 });
    expect(parseNotification(payload, options).messages).toHaveLength(1);
    expect(() => parseNotification({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: null }] }] }, options)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
