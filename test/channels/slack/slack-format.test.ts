import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, renderSlackMessage, SLACK_SECTION_LIMIT, splitForSections } from '../../../channels/slack/index.js';

const base = { id: '0b9d6f2e-1111-4222-8333-944445555666' };

describe('rendering replies for Slack', () => {
  it('sends a short reply as escaped mrkdwn text and nothing else', () => {
    expect(renderSlackMessage({ ...base, text: 'Deploy <@U1> & <!channel> > now' })).toEqual({
      text: 'Deploy &lt;@U1&gt; &amp; &lt;!channel&gt; &gt; now',
      mrkdwn: true,
    });
  });

  it('adds buttons as an actions block whose action ids are the button ids, after the text as a section', () => {
    const body = renderSlackMessage({ ...base, text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 3', buttons: [{ id: 'cancel', label: 'Cancel' }] });
    expect(body).toEqual({
      text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 3',
      mrkdwn: true,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 3' } },
        {
          type: 'actions',
          block_id: `sb-${base.id}`,
          elements: [{ type: 'button', action_id: 'cancel', value: 'cancel', text: { type: 'plain_text', text: 'Cancel', emoji: true } }],
        },
      ],
    });
  });

  it('splits a long result into sections under 3000 characters, at line breaks, with a shorter plain fallback', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `• #${i + 1} send <Acme> & co the proposal`);
    const body = renderSlackMessage({ ...base, text: lines.join('\n') });
    const sections = body.blocks!.map((b) => (b.type === 'section' ? b.text.text : ''));
    expect(sections.length).toBeGreaterThan(5);
    for (const section of sections) {
      expect(section.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
      expect(section).toMatch(/^• #\d+/); // cut between lines, never inside one
      expect(section).not.toMatch(/&(?!amp;|lt;|gt;)/); // never inside an entity
    }
    expect(sections.join('').replace(/\n/g, '')).toBe(escapeMrkdwn(lines.join('')));
    expect(body.text.length).toBeLessThanOrEqual(4000);
    expect(body.text.endsWith('…')).toBe(true);
  });

  it('keeps every piece within the limit and loses no text, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '&', '<', '>', 'é', '😀', 'x'), maxLength: 9000 }), fc.integer({ min: 20, max: 3000 }), (text, limit) => {
        const pieces = splitForSections(text, limit);
        for (const piece of pieces) {
          expect(escapeMrkdwn(piece).length).toBeLessThanOrEqual(limit);
          expect(piece.trim()).not.toBe('');
          expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/); // no split surrogate pair
        }
        expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
      { numRuns: 200 },
    );
  });

  it('fits a reply too long for one message into 50 blocks and says it was cut', () => {
    const body = renderSlackMessage({ ...base, text: 'word '.repeat(40_000), buttons: [{ id: 'cancel', label: 'Cancel' }] });
    expect(body.blocks).toHaveLength(50);
    const last = body.blocks![48]!;
    expect(last.type === 'section' && last.text.text).toMatch(/cut: the rest is too long/);
    expect(last.type === 'section' && last.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
    expect(body.blocks![49]!.type).toBe('actions');
  });
});
