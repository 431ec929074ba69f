import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { Redactor, maskPhone } from '../../core/redact.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return { lines, stream };
}

describe('redaction', () => {
  it('masks phone numbers, keeping the last four digits', () => {
    expect(maskPhone('+447911123456')).toBe('+********3456');
    expect(new Redactor().text('call me on +44 7911 123456 please')).toBe('call me on +********3456 please');
    expect(new Redactor().value({ wa_id: '16505551234' })).toEqual({ wa_id: '*******1234' });
  });

  it('drops values of keys that name secrets, and known secret values anywhere', () => {
    const redactor = new Redactor(['xoxb-1234567890-secret']);
    expect(
      redactor.value({
        authorization: 'Bearer abc',
        nested: { apiKey: 'sk-live', note: 'token xoxb-1234567890-secret leaked' },
        list: ['xoxb-1234567890-secret'],
        count: 3,
      }),
    ).toEqual({
      authorization: '[redacted]',
      nested: { apiKey: '[redacted]', note: 'token [redacted] leaked' },
      list: ['[redacted]'],
      count: 3,
    });
  });

  it('never hangs on cycles and redacts errors', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(new Redactor().value(loop)).toEqual({ name: 'loop', self: '[…]' });
    const err = new Error('failed with key sk-abcdef123456');
    expect((new Redactor(['sk-abcdef123456']).value(err) as { message: string }).message).toBe('failed with key [redacted]');
  });

  it('scrubs every log line: fields, message, child bindings and errors', () => {
    const { lines, stream } = capture();
    const secret = 'tg-bot-token-987654321';
    const log = createLogger({ secrets: [secret], stream });
    log.info({ token: secret, user: { phone: '+491701234567' } }, `sending with ${secret}`);
    log.child({ botToken: secret, chat: 42 }).warn('child line');
    log.error({ err: new Error(`401 for ${secret}`) }, 'failed');
    const all = lines.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain('+491701234567');
    expect(JSON.parse(lines[0]!)).toMatchObject({ token: '[redacted]', user: { phone: '+********4567' }, msg: 'sending with [redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ botToken: '[redacted]', chat: 42, msg: 'child line' });
    expect(JSON.parse(lines[2]!).err.message).toBe('401 for [redacted]');
  });
});

describe('child loggers', () => {
  it('keep the bindings of every ancestor and redact each level', () => {
    const { lines, stream } = capture();
    const log = createLogger({ secrets: ['secret-value-123'], stream });
    log.child({ a: 1, token: 'x' }).child({ b: 2, note: 'has secret-value-123' }).info('deep');
    expect(JSON.parse(lines[0]!)).toMatchObject({ a: 1, token: '[redacted]', b: 2, note: 'has [redacted]', msg: 'deep' });
  });
});
