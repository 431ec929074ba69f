import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanDeep,
  cleanText,
  isStorable,
  LATEST_POSSIBLE_TIME_MS,
  sanitiseBatch,
  sanitiseInbound,
  UnstorableInputError,
  type InboundMessage,
} from '../../channels/index.js';
import { hostileString } from './fuzz/hostile-strings.js';

const NOW = Date.UTC(2026, 0, 5, 12);

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'telegram',
    messageId: '42',
    conversation: '1111',
    user: { id: '1111', displayName: 'Ana Silva' },
    text: 'remind me to call Bob',
    sentAt: NOW - 1000,
    receivedAt: NOW,
    ...overrides,
  };
}

/** What PostgreSQL's jsonb refuses in a string: NUL, and an escaped surrogate without its pair. */
function jsonbCanStore(value: unknown): boolean {
  const json = JSON.stringify(value);
  return !json.includes('\\u0000') && !/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(json);
}

describe('cleanText', () => {
  it('removes NUL and replaces lone surrogates, keeping pairs (emoji) as they are', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\ud800y')).toBe('x\ufffdy');
    expect(cleanText('x\udc00y')).toBe('x\ufffdy');
    expect(cleanText('end\ud83d')).toBe('end\ufffd');
    expect(cleanText('👍 ok')).toBe('👍 ok');
    expect(cleanText('\udc00\ud800')).toBe('\ufffd\ufffd');
  });

  it('always yields a storable string, and leaves storable strings alone', () => {
    fc.assert(
      fc.property(hostileString({ maxLength: 40 }), (value) => {
        const cleaned = cleanText(value);
        expect(isStorable(cleaned)).toBe(true);
        expect(jsonbCanStore(cleaned)).toBe(true);
        if (isStorable(value)) expect(cleaned).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sanitiseInbound', () => {
  it('keeps a message with NUL or lone surrogates in its free text, cleaned', () => {
    const cleaned = sanitiseInbound(message({ text: 'hi\u0000 there\ud800', user: { id: '1111', displayName: 'A\u0000na\udc00' } }));
    expect(cleaned.text).toBe('hi there\ufffd');
    expect(cleaned.user.displayName).toBe('Ana\ufffd');
  });

  it('drops a display name that is nothing once cleaned', () => {
    expect(sanitiseInbound(message({ user: { id: '1', displayName: '\u0000' } })).user).toEqual({ id: '1' });
  });

  it.each([
    ['messageId', { messageId: '4\u00002' }],
    ['conversation', { conversation: '\ud800' }],
    ['thread', { thread: 't\udc00' }],
    ['user.id', { user: { id: '11\u000011' } }],
    ['replyTo', { replyTo: '9\u0000' }],
    ['messageId', { messageId: 'line\nbreak' }],
    ['messageId', { messageId: '' }],
    ['messageId', { messageId: 'x'.repeat(513) }],
    ['voice.fileRef', { voice: { kind: 'voice', fileRef: 'f\u0000' } }],
  ] as [string, Partial<InboundMessage>][])('refuses an identifier that cannot be stored: %s', (field, overrides) => {
    expect(() => sanitiseInbound(message(overrides))).toThrow(UnstorableInputError);
    try {
      sanitiseInbound(message(overrides));
    } catch (error) {
      expect(error).toMatchObject({ field, status: 400, code: 'bad_request' });
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1, LATEST_POSSIBLE_TIME_MS + 1, 99999999999999999 * 1000])('refuses an impossible sentAt (%s)', (sentAt) => {
    expect(() => sanitiseInbound(message({ sentAt }))).toThrow(/sentAt is not a possible time/);
  });

  it('keeps declared media hints only when they are finite and non-negative', () => {
    const cleaned = sanitiseInbound(
      message({ voice: { kind: 'voice', fileRef: 'AwAD', declaredMimeType: 'audio/ogg\u0000', declaredSizeBytes: Number.POSITIVE_INFINITY, durationSeconds: -3 } }),
    );
    expect(cleaned.voice).toEqual({ kind: 'voice', fileRef: 'AwAD', declaredMimeType: 'audio/ogg' });
  });

  it('yields messages whose JSON jsonb accepts, or refuses them, for any strings in any field', () => {
    const text = hostileString({ maxLength: 20 });
    fc.assert(
      fc.property(text, text, text, text, text, (messageId, conversation, userId, displayName, body) => {
        let cleaned: InboundMessage;
        try {
          cleaned = sanitiseInbound(message({ messageId, conversation, user: { id: userId, displayName }, text: body }));
        } catch (error) {
          expect(error).toBeInstanceOf(UnstorableInputError);
          return;
        }
        expect(jsonbCanStore(cleaned)).toBe(true);
        // Identifiers are never altered, only accepted or refused.
        expect([cleaned.messageId, cleaned.conversation, cleaned.user.id]).toEqual([messageId, conversation, userId]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sanitiseBatch', () => {
  it('keeps the good items and reports the bad ones by index', () => {
    const result = sanitiseBatch([message({ messageId: 'a' }), message({ messageId: 'b\u0000' }), message({ messageId: 'c', sentAt: 1e20 })]);
    expect(result.messages.map((m) => m.messageId)).toEqual(['a']);
    expect(result.rejected).toEqual([
      { index: 1, field: 'messageId', reason: expect.stringContaining('NUL') },
      { index: 2, field: 'sentAt', reason: 'is not a possible time' },
    ]);
  });
});

describe('cleanDeep', () => {
  it('cleans strings and keys at any depth and drops numbers JSON cannot carry', () => {
    expect(cleanDeep({ a: ['x\u0000', { 'k\ud800': 'v\udc00', n: Number.NaN }], b: 1 })).toEqual({ a: ['x', { 'k\ufffd': 'v\ufffd' }], b: 1 });
  });
});
