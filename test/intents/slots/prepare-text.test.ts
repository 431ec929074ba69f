import { describe, expect, it } from 'vitest';
import { MAX_SLOT_TEXT_LENGTH, prepareText } from '../../../intents/slots/index.js';

describe('prepareText', () => {
  it('caps the length', () => {
    expect(prepareText('x'.repeat(100_000))).toHaveLength(MAX_SLOT_TEXT_LENGTH);
  });

  it('removes control and invisible characters and normalises width and quotes', () => {
    expect(prepareText('pr\u200Bod\u0000\u0007 ｐｒｏｄ “hi” it’s')).toBe('prod   prod "hi" it\'s');
  });

  it('replaces lone surrogates and survives non-strings', () => {
    expect(prepareText('a\uD800b')).toBe('a\uFFFDb');
    expect(prepareText(undefined)).toBe('');
    expect(prepareText(42)).toBe('');
  });

  it('is idempotent', () => {
    const once = prepareText('Ｈｅｌｌｏ\u200B “world” \r\n');
    expect(prepareText(once)).toBe(once);
  });
});
