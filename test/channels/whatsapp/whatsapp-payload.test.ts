import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../channels/whatsapp/index.js';
import { BadRequestError } from '../../../core/errors.js';
import { inbound, SAMPLE_USER } from '../../support/fakes/whatsapp/index.js';
import { fixture } from './fixtures.js';

const OPTIONS = { phoneNumberId: '106540352242922', receivedAt: 1_750_000_000_000 };
const WAMID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
const parse = (payload: unknown) => parseNotification(payload, OPTIONS);

describe('messages from the documented samples', () => {
  it('a text message: conversation and user are the wa_id, the name comes from contacts', () => {
    expect(parse(fixture('text-message'))).toEqual({
      messages: [
        {
          channel: 'whatsapp',
          messageId: WAMID,
          conversation: '16505551234',
          user: { id: '16505551234', displayName: 'Sheena Nelson' },
          text: 'Does it come in another color?',
          receivedAt: OPTIONS.receivedAt,
          sentAt: 1_749_416_383_000,
        },
      ],
      statuses: [],
      skipped: [],
      errors: [],
    });
  });

  it('a voice note: a voice attachment with the media id and the declared type, no text yet', () => {
    const [message] = parse(fixture('audio-voice-message')).messages;
    expect(message).toMatchObject({ text: '', voice: { kind: 'voice', fileRef: '1003383421387256', declaredMimeType: 'audio/ogg; codecs=opus' } });
    expect(message?.viaButton).toBeUndefined();
  });

  it('an audio file (voice: false) is audio, not a voice note', () => {
    const [message] = parse(inbound.audio(SAMPLE_USER, { mediaId: '42', mimeType: 'audio/mpeg', voice: false })).messages;
    expect(message?.voice).toEqual({ kind: 'audio', fileRef: '42', declaredMimeType: 'audio/mpeg' });
  });

  it('a reply-button tap: the button id as text, marked as a button, replying to our message', () => {
    const [message] = parse(fixture('interactive-button-reply')).messages;
    expect(message).toMatchObject({
      text: 'cancel-button',
      viaButton: true,
      replyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
    });
  });

  it('a list choice and a template quick-reply button are button clicks too', () => {
    expect(parse(fixture('interactive-list-reply')).messages[0]).toMatchObject({ text: 'priority_express', viaButton: true });
    expect(parse(fixture('template-quick-reply-button')).messages[0]).toMatchObject({ text: 'Unsubscribe', viaButton: true });
  });

  it('an image is not dropped: its text says what was sent, with the caption', () => {
    expect(parse(fixture('image-message')).messages[0]).toMatchObject({ text: '[image] Black jacket' });
    const sticker = inbound.text(SAMPLE_USER, 'x') as any;
    const message = sticker.entry[0].changes[0].value.messages[0];
    delete message.text;
    message.type = 'sticker';
    message.sticker = { mime_type: 'image/webp', sha256: 'abc', id: '777', animated: false };
    expect(parse(sticker).messages[0]).toMatchObject({ text: '[sticker]' });
    message.type = 'location';
    message.location = { latitude: 38.9, longitude: -77.0, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto' };
    expect(parse(sticker).messages[0]).toMatchObject({ text: '[location] Philz Coffee, 101 Forest Ave, Palo Alto' });
    message.type = 'unsupported';
    expect(parse(sticker).messages[0]).toMatchObject({ text: '[unsupported message]' });
  });

  it('a reaction is nothing to answer', () => {
    expect(parse(fixture('reaction-message'))).toMatchObject({ messages: [], skipped: [{ reason: 'nothing to answer', type: 'reaction' }] });
  });

  it('marks forwarded messages, which never confirm anything', () => {
    expect(parse(inbound.text(SAMPLE_USER, 'CONFIRM DELETE TASK 1', { forwarded: true })).messages[0]).toMatchObject({ forwarded: true });
  });
});

describe('statuses', () => {
  it('maps a status to the wamid, the status and its time', () => {
    expect(parse(fixture('status-sent')).statuses).toEqual([
      { platformMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MUYxNEM0RTcwQzlDMjMyNjAA', status: 'sent', detail: { platformTimestamp: '2025-06-18T16:22:53.000Z' } },
    ]);
  });

  it('keeps the errors of a failed message', () => {
    const [status] = parse(fixture('status-failed')).statuses;
    expect(status).toMatchObject({ status: 'failed', detail: { errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }] } });
  });

  it('reports errors about the number itself', () => {
    expect(parse(fixture('errors-rate-limit')).errors).toEqual([expect.objectContaining({ code: 130429, title: 'Rate limit hit' })]);
  });
});

describe('what is left out', () => {
  it('ignores notifications for another phone number of the same app', () => {
    expect(parseNotification(fixture('text-message'), { ...OPTIONS, phoneNumberId: '999' })).toMatchObject({ messages: [], skipped: [{ reason: 'sent to another phone number id' }] });
  });

  it('ignores other webhook fields', () => {
    const payload = fixture('text-message');
    payload.entry[0].changes[0].field = 'account_update';
    expect(parse(payload)).toMatchObject({ messages: [], skipped: [{ reason: 'field account_update is not handled' }] });
  });

  it('skips one message of an unexpected shape and keeps the others', () => {
    const payload = fixture('text-message');
    const good = payload.entry[0].changes[0].value.messages[0];
    payload.entry[0].changes[0].value.messages = [{ ...good, id: 42 }, good];
    const parsed = parse(payload);
    expect(parsed.messages.map((m) => m.messageId)).toEqual([WAMID]);
    expect(parsed.skipped[0]?.reason).toMatch(/^message of an unexpected shape: id/);
  });
});

describe('what is not a WhatsApp notification', () => {
  it.each([
    ['an array', []],
    ['another object', { object: 'page', entry: [] }],
    ['no entries', { object: 'whatsapp_business_account', entry: [] }],
    ['entries without changes', { object: 'whatsapp_business_account', entry: [{ id: '1' }] }],
    ['a messages change of another product', (() => {
      const p = fixture('text-message');
      p.entry[0].changes[0].value.messaging_product = 'instagram';
      return p;
    })()],
    ['a messages change without metadata', (() => {
      const p = fixture('text-message');
      delete p.entry[0].changes[0].value.metadata;
      return p;
    })()],
  ])('refuses %s with a BadRequestError', (_label, payload) => {
    expect(() => parse(payload)).toThrow(BadRequestError);
  });
});
