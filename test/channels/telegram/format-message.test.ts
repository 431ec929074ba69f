import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../channels/index.js';
import { escapeHtml, inlineKeyboard, renderMessage, splitText, TELEGRAM_TEXT_LIMIT } from '../../../channels/telegram/index.js';
import { parseTelegramHtml } from '../../support/fakes/telegram/index.js';

const outbound = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: '0b7e6a1c-0000-4000-8000-000000000001',
  channel: 'telegram',
  conversation: '-1001234567890',
  text,
  kind: 'reply',
  createdAt: 0,
  ...extra,
});

const words = (n: number, word = 'deploy') => Array.from({ length: n }, () => word).join(' ');
const normalise = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');

describe('escaping for parse_mode HTML', () => {
  it('replaces <, > and & (and nothing else), as the Bot API requires', () => {
    expect(escapeHtml('a < b && c > d "quoted" \'single\'')).toBe('a &lt; b &amp;&amp; c &gt; d "quoted" \'single\'');
  });

  it('what looks like markup or an entity arrives as typed', () => {
    const text = '<b>not bold</b> &amp; <a href="x">link</a> &#169; 5 > 3';
    expect(parseTelegramHtml(escapeHtml(text))).toEqual({ text, entities: [] });
  });
});

describe('splitting long texts', () => {
  it('leaves a text within the limit alone (trimmed)', () => {
    expect(splitText('  hello\nworld  ')).toEqual(['hello\nworld']);
    expect(splitText('x'.repeat(TELEGRAM_TEXT_LIMIT))).toEqual(['x'.repeat(TELEGRAM_TEXT_LIMIT)]);
    expect(splitText('   ')).toEqual([]);
  });

  it('prefers a paragraph break, then a line break, then a space', () => {
    const a = words(500, 'alpha'); // 2999 characters
    const b = words(300, 'bravo');
    expect(splitText(`${a}\n\n${b}`)).toEqual([a, b]);
    expect(splitText(`${a}\n${b}`)).toEqual([a, b]);
    const long = words(1500, 'alpha');
    const parts = splitText(long);
    expect(parts.every((p) => p.length <= TELEGRAM_TEXT_LIMIT && /^alpha( alpha)*$/.test(p))).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });

  it('does not make a tiny part out of an early paragraph break', () => {
    const text = `Intro.\n\n${words(1000, 'word')}`;
    const [first] = splitText(text);
    expect(first!.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT / 2);
  });

  it('cuts a word longer than the limit only between graphemes', () => {
    const url = `https://example.com/${'a'.repeat(5000)}`;
    expect(splitText(url).map((p) => p.length)).toEqual([4096, url.length - 4096]);
    const flags = '🇵🇹'.repeat(3000); // 4 UTF-16 code units per flag
    const parts = splitText(flags);
    expect(parts.every((p) => p.length <= TELEGRAM_TEXT_LIMIT && p.length % 4 === 0)).toBe(true);
    expect(parts.join('')).toBe(flags);
  });

  it('property: parts are non-empty, within the limit, whole words, and together are the text', () => {
    const word = fc.stringMatching(/^[a-z<>&é🙂]{1,12}$/u);
    const separator = fc.constantFrom(' ', ' ', ' ', '\n', '\n\n');
    const text = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 2500 }).map((pairs) => pairs.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 40, max: TELEGRAM_TEXT_LIMIT }), (input, limit) => {
        const parts = splitText(input, limit);
        for (const part of parts) {
          expect(part.length).toBeGreaterThan(0);
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(part).toBe(part.trim());
        }
        // Only whitespace is dropped at the cuts: no word was broken or lost.
        expect(normalise(parts.join(' '))).toBe(normalise(input));
        expect(parts.flatMap((p) => p.split(/\s+/))).toEqual(input.split(/\s+/).filter(Boolean));
      }),
      { numRuns: 150 },
    );
  });
});

describe('rendering a reply as sendMessage calls', () => {
  it('one call: the chat, HTML, the escaped text', () => {
    expect(renderMessage(outbound('Deploy <soarix-web> & check'))).toEqual([
      { chat_id: -1001234567890, text: 'Deploy &lt;soarix-web&gt; &amp; check', parse_mode: 'HTML' },
    ]);
  });

  it('a forum topic goes to its thread', () => {
    expect(renderMessage(outbound('hi', { thread: '42' }))[0]).toMatchObject({ message_thread_id: 42 });
  });

  it('buttons become an inline keyboard with the button id as callback_data, on the last part only', () => {
    const calls = renderMessage(outbound(`${words(800, 'a&b')}\n\n${words(200, 'tail')}`, { buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    expect(calls.length).toBe(2);
    expect(calls[0]!.reply_markup).toBeUndefined();
    expect(calls[1]!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel' }]] });
  });

  it('a long reply: every part is well-formed HTML of at most 4096 characters after parsing, and no entity is cut', () => {
    const text = Array.from({ length: 400 }, (_, i) => `Line ${i}: build <#${i}> failed & retried > twice`).join('\n');
    const calls = renderMessage(outbound(text));
    expect(calls.length).toBeGreaterThan(3);
    const shown = calls.map((call) => parseTelegramHtml(call.text).text);
    for (const part of shown) expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(shown.join('\n')).toBe(text);
  });

  it('refuses button ids Telegram cannot carry', () => {
    expect(() => inlineKeyboard([{ id: 'x'.repeat(65), label: 'Too long' }])).toThrow(/1-64 bytes/);
    expect(inlineKeyboard([])).toBeUndefined();
    expect(inlineKeyboard([1, 2, 3, 4].map((n) => ({ id: `b${n}`, label: `B${n}` })))!.inline_keyboard.map((row) => row.length)).toEqual([3, 1]);
  });

  it('refuses an empty text', () => {
    expect(() => renderMessage(outbound(' \n '))).toThrow(/needs some text/);
  });
});
