import { describe, expect, it } from 'vitest';
import { chatIdOf, conversationOf, toInboundWebMessage } from '../../../channels/whatsapp-web/index.js';
import { recorded } from './recorded-messages.js';

const AT = 1_741_867_205_000;
const map = (name: string) => toInboundWebMessage(recorded(name), { receivedAt: AT });

describe('whatsapp-web.js message events as InboundMessage', () => {
  it('a text message: the number is the conversation and the user, the serialized id the message id', () => {
    expect(toInboundWebMessage(recorded('text-message'), { receivedAt: AT, displayName: 'Sheena Nelson' })).toEqual({
      channel: 'whatsapp',
      messageId: 'false_15551234567@c.us_3EB0C431C26A1916F9D4',
      conversation: '15551234567',
      user: { id: '15551234567', displayName: 'Sheena Nelson' },
      text: 'Hi! Is the new website ready?',
      receivedAt: AT,
      sentAt: 1_741_867_200_000,
    });
  });

  it('a voice note (ptt) with media is a voice attachment fetched by message id; an audio file is audio', () => {
    expect(map('voice-note')).toMatchObject({ text: '', voice: { kind: 'voice', fileRef: 'false_15551234567@c.us_3EB05B7A1F8E2D4C6A10', durationSeconds: 4 } });
    expect(map('audio-file')?.voice).toMatchObject({ kind: 'audio', durationSeconds: 95 });
  });

  it('marks forwarded messages, which never confirm', () => {
    expect(map('forwarded')).toMatchObject({ text: 'CONFIRM DELETE TASK 3', forwarded: true });
  });

  it('ignores our own messages, status updates and notifications', () => {
    expect(map('from-me')).toBeUndefined();
    expect(map('status-update')).toBeUndefined();
    expect(map('e2e-notification')).toBeUndefined();
  });

  it('says what an unsupported message was, with its caption or place (never a location thumbnail)', () => {
    expect(map('image')?.text).toBe('[image] Logo draft v2');
    expect(map('location')?.text).toBe('[location] Agency office, Alexanderplatz 1, Berlin');
  });

  it('a button response is a button click with the button id', () => {
    expect(map('buttons-response')).toMatchObject({ text: 'cancel', viaButton: true });
  });

  it('in a group, the conversation is the group and the user the participant', () => {
    expect(map('group-message')).toMatchObject({ conversation: '120363025246125888@g.us', user: { id: '15551234567' } });
  });
});

describe('chat ids', () => {
  it('a person is their number, both ways; other chats keep their id', () => {
    expect(conversationOf('15551234567@c.us')).toBe('15551234567');
    expect(chatIdOf('15551234567')).toBe('15551234567@c.us');
    expect(conversationOf('120363025246125888@g.us')).toBe('120363025246125888@g.us');
    expect(chatIdOf('120363025246125888@g.us')).toBe('120363025246125888@g.us');
    expect(chatIdOf('98765432109876@lid')).toBe('98765432109876@lid');
  });
});
