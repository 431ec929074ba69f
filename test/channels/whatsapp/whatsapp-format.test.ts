import { describe, expect, it } from 'vitest';
import {
  buildMessageRequests,
  buildTemplateRequest,
  buttonTitle,
  formatForWhatsApp,
  splitText,
  templateParameter,
  WHATSAPP_LIMITS,
  type OutgoingMessageRequest,
} from '../../../channels/whatsapp/index.js';

const TO = '16505551234';

function bodies(requests: OutgoingMessageRequest[]): string[] {
  return requests.map((r) => (r.type === 'text' ? r.text.body : r.type === 'interactive' ? r.interactive.body.text : 'template'));
}

describe('formatForWhatsApp', () => {
  it("rewrites Markdown into WhatsApp's own markup", () => {
    expect(formatForWhatsApp('**Deployed** [soarix-web](https://soarix.dev) ~~old~~')).toBe('*Deployed* soarix-web (https://soarix.dev) ~old~');
    expect(formatForWhatsApp('## Your tasks\n- call John\n- send Acme the proposal')).toBe('*Your tasks*\n• call John\n• send Acme the proposal');
    expect(formatForWhatsApp('see https://soarix.dev and [https://a.io](https://a.io)')).toBe('see https://soarix.dev and https://a.io');
  });

  it('keeps the bot\'s plain text, single asterisks and code blocks as they are', () => {
    const text = 'Task #1 created: call John, due Mon 2 Mar, 17:00.\n• #1 call John';
    expect(formatForWhatsApp(text)).toBe(text);
    expect(formatForWhatsApp('*already bold* and _italic_')).toBe('*already bold* and _italic_');
    expect(formatForWhatsApp('```\n- not a list **not bold**\n```')).toBe('```\n- not a list **not bold**\n```');
  });

  it('collapses runs of blank lines and trailing spaces', () => {
    expect(formatForWhatsApp('a  \n\n\n\nb\n')).toBe('a\n\nb');
  });
});

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('hello')).toEqual(['hello']);
    expect(splitText('x'.repeat(4096))).toHaveLength(1);
  });

  it('splits over 4096 at paragraph breaks, every part within the limit, nothing lost', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}: ${'words and more words '.repeat(12).trim()}`);
    const text = paragraphs.join('\n\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.textBody);
    expect(parts.join('\n\n')).toBe(text);
    expect(parts.every((p) => p.startsWith('Paragraph'))).toBe(true);
  });

  it('falls back to spaces, then a hard cut that never halves an emoji', () => {
    const words = splitText('word '.repeat(2000).trim(), 100);
    expect(words.every((p) => p.length <= 100 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    const emoji = splitText('😀'.repeat(60), 101);
    expect(emoji.every((p) => p.length <= 101 && !/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p))).toBe(true);
    expect(emoji.join('')).toBe('😀'.repeat(60));
  });
});

describe('buildMessageRequests', () => {
  it('a plain reply is one text message to the wa_id', () => {
    expect(buildMessageRequests(TO, { text: 'Hello! I am Switchboard.' })).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO, type: 'text', text: { body: 'Hello! I am Switchboard.' } },
    ]);
  });

  it('a long reply is several text messages', () => {
    const requests = buildMessageRequests(TO, { text: 'line of text\n'.repeat(800) });
    expect(requests.length).toBe(3);
    expect(requests.every((r) => r.type === 'text' && r.text.body.length <= 4096)).toBe(true);
  });

  it('buttons become an interactive reply-buttons message', () => {
    const [request] = buildMessageRequests(TO, { text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 1', buttons: [{ id: 'cancel', label: 'Cancel' }] });
    expect(request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 1' },
        action: { buttons: [{ type: 'reply', reply: { id: 'cancel', title: 'Cancel' } }] },
      },
    });
  });

  it('at most three buttons with unique titles of at most 20 characters; the rest offered as text', () => {
    const buttons = [
      { id: 'a', label: 'Schedule a call with the team' },
      { id: 'b', label: 'Schedule a call with the agency' },
      { id: 'c', label: 'Cancel' },
      { id: 'd', label: 'Talk to a human' },
    ];
    const [request] = buildMessageRequests(TO, { text: 'What next?', buttons });
    if (request?.type !== 'interactive') throw new Error('expected an interactive message');
    const titles = request.interactive.action.buttons.map((b) => b.reply.title);
    expect(titles).toHaveLength(3);
    expect(new Set(titles).size).toBe(3);
    expect(titles.every((t) => [...t].length <= 20)).toBe(true);
    expect(request.interactive.action.buttons.map((b) => b.reply.id)).toEqual(['a', 'b', 'c']);
    expect(request.interactive.body.text).toBe('What next?\n\nYou can also reply: "Talk to a human"');
  });

  it('a long text with buttons: the text first, the last part (at most 1024) carries the buttons', () => {
    const text = Array.from({ length: 12 }, (_, i) => `Point ${i}: ${'detail '.repeat(30).trim()}`).join('\n');
    const requests = buildMessageRequests(TO, { text, buttons: [{ id: 'cancel', label: 'Cancel' }] });
    expect(requests.map((r) => r.type)).toEqual(['text', 'interactive']);
    const last = requests.at(-1);
    if (last?.type !== 'interactive') throw new Error('expected an interactive message');
    expect(last.interactive.body.text.length).toBeLessThanOrEqual(1024);
    expect(bodies(requests).join('\n')).toBe(text);
  });

  it('an empty reply sends nothing', () => {
    expect(buildMessageRequests(TO, { text: '  ' })).toEqual([]);
  });
});

describe('buttonTitle', () => {
  it('cuts at 20 characters with an ellipsis, counting emoji as one', () => {
    expect(buttonTitle('Cancel')).toBe('Cancel');
    expect(buttonTitle('Schedule a call with the team')).toBe('Schedule a call wit…');
    expect([...buttonTitle('👍'.repeat(25))]).toHaveLength(20);
  });
});

describe('templates', () => {
  it('sends the text as the single body parameter of the approved template', () => {
    expect(buildTemplateRequest(TO, { name: 'switchboard_update', language: 'en' }, 'Your site is live.\n\nThanks!')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'template',
      template: {
        name: 'switchboard_update',
        language: { code: 'en', policy: 'deterministic' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your site is live. Thanks!' }] }],
      },
    });
  });

  it('flattens new lines, tabs and runs of spaces, and truncates to leave room for the template', () => {
    expect(templateParameter('a\tb     c\r\nd')).toBe('a b c d');
    const long = templateParameter('word '.repeat(400));
    expect([...long].length).toBe(WHATSAPP_LIMITS.templateParameter);
    expect(long.endsWith('…')).toBe(true);
    expect(templateParameter('')).toBe('…');
  });
});
