import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNING, plainText, quotePassage } from '../../knowledge/index.js';

describe('quotePassage: the part of a section that answers, as plain text', () => {
  it('quotes a short section whole', () => {
    expect(quotePassage({ text: 'Invoices are due within 14 days.' }, 'when are invoices due', DEFAULT_TUNING)).toBe('Invoices are due within 14 days.');
  });

  it('cuts a long section to the sentences around the best match, marking what was left out', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i + 1} is about something else entirely.`).join(' ');
    const text = `${filler(10)} Refunds are paid within 14 days of a cancellation. ${filler(10)}`;
    const quote = quotePassage({ text }, 'when are refunds paid', DEFAULT_TUNING, 200);
    expect(quote).toContain('Refunds are paid within 14 days of a cancellation.');
    expect(quote.startsWith('… ')).toBe(true);
    expect(quote.endsWith(' …')).toBe(true);
    expect(quote.length).toBeLessThanOrEqual(200 + 4);
  });

  it('keeps list items whole and on their own lines', () => {
    const text = ['- Starter: £2,900. Up to 5 pages.', '- Business: £6,500. Up to 15 pages.', '- Custom: from £12,000.'].join('\n');
    expect(quotePassage({ text }, 'business package', DEFAULT_TUNING)).toBe(text);
  });

  it('takes inline Markdown out, so WhatsApp, Telegram, Slack and the web chat show the same text', () => {
    expect(plainText('**Bold** and _light_ and `code`, see [our site](https://soarix.studio) or <https://x.test>.\n* item')).toBe(
      'Bold and light and code, see our site (https://soarix.studio) or <https://x.test>.\n- item',
    );
  });
});

describe('quotePassage: a long list', () => {
  it('starts at the matching item, with the omission on a line of its own', () => {
    const items = Array.from({ length: 12 }, (_, i) => `- Plan ${i + 1}: £${(i + 1) * 100} a month, with ${i + 1} hours of changes and monitoring.`);
    items[8] = '- Enterprise plan: £5,000 a month, with a named engineer on call.';
    const quote = quotePassage({ text: items.join('\n') }, 'enterprise plan price', DEFAULT_TUNING, 200);
    // Forwards first: what follows the matching item, then what precedes it while there is room.
    expect(quote).toMatch(/^…\n- Enterprise plan: £5,000 a month, with a named engineer on call\.\n- Plan 10: /);
    expect(quote.endsWith(' …')).toBe(true);
  });
});
