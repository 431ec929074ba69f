import { describe, expect, it } from 'vitest';
import { parseSlackInteraction } from '../../../channels/slack/index.js';
import { BLOCK_ACTIONS } from './fixtures.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

function click(actionId: string, overrides: Record<string, unknown> = {}) {
  return { ...BLOCK_ACTIONS, actions: [{ ...BLOCK_ACTIONS.actions[0], action_id: actionId }], ...overrides };
}

describe('button clicks (block_actions)', () => {
  it("acknowledges and ignores Slack's sample: its action is not one of the bot's buttons", () => {
    expect(parseSlackInteraction(BLOCK_ACTIONS, NOW)).toEqual({ kind: 'ignored', reason: "action WaXA is not one of the bot's buttons" });
  });

  it('turns our Cancel button into the text "cancel", marked as a button, on the message it was on', () => {
    expect(parseSlackInteraction(click('cancel'), NOW)).toEqual({
      kind: 'message',
      message: {
        channel: 'slack',
        messageId: 'action:12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
        conversation: 'CBR2V3XEX',
        user: { id: 'UA8RXUSPL', displayName: 'jtorrance' },
        text: 'cancel',
        viaButton: true,
        receivedAt: NOW,
        replyTo: '1548261231.000200',
      },
    });
  });

  it('puts a click on a message in a thread in that thread, and one on a thread’s first message outside it', () => {
    const inThread = click('cancel', { container: { type: 'message', message_ts: '1548261300.000100', channel_id: 'CBR2V3XEX', thread_ts: '1548261231.000200' } });
    expect(parseSlackInteraction(inThread, NOW)).toMatchObject({ kind: 'message', message: { thread: '1548261231.000200' } });
    const root = click('cancel', { message: { ...BLOCK_ACTIONS.message, thread_ts: '1548261231.000200' } });
    expect(parseSlackInteraction(root, NOW)).toMatchObject({ kind: 'message', message: { conversation: 'CBR2V3XEX' } });
    expect((parseSlackInteraction(root, NOW) as { message: object }).message).not.toHaveProperty('thread');
  });

  it('acknowledges other interaction types, and refuses payloads that are not Slack interactions (400)', () => {
    expect(parseSlackInteraction({ type: 'view_submission', view: {} }, NOW)).toMatchObject({ kind: 'ignored' });
    for (const payload of [null, 'cancel', { actions: [] }, { type: 'block_actions', user: { id: 'U1' }, trigger_id: 't', actions: [] }]) {
      expect(() => parseSlackInteraction(payload, NOW), JSON.stringify(payload)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
