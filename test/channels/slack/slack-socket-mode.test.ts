import type { SocketModeReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelDeps, InboundMessage, TurnOutcome } from '../../../channels/index.js';
import { createSlackChannel, SlackSocketMode, socketPayloadKind, type SlackChannel } from '../../../channels/slack/index.js';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { blockActions, eventCallback, FAKE_SLACK_SIGNING_SECRET, messageEvent, SlackFake, slashCommand } from '../../support/fakes/slack/index.js';

/**
 * Socket Mode without a socket: Bolt's real SocketModeReceiver is built, and its client emits the
 * `slack_event`s a socket would deliver, so the receiver → parse → handler → ack path runs for real.
 */

let fake: SlackFake;
let channel: SlackChannel;
const deps: ChannelDeps = { logger: silentLogger(), clock: new SystemClock(), lastInboundAt: async () => undefined, recordDeliveryStatus: async () => false };

beforeAll(async () => {
  fake = await new SlackFake().start();
  channel = createSlackChannel({ botToken: fake.botToken, signingSecret: FAKE_SLACK_SIGNING_SECRET, appToken: undefined, apiUrl: fake.url }, deps);
});
afterAll(async () => {
  await fake.stop();
});

function socket(handler: (message: InboundMessage) => Promise<TurnOutcome>, ackWithinMs = 2_000) {
  const mode = new SlackSocketMode({ appToken: 'xapp-1-A0SWITCHBD-1-fake', apiUrl: fake.url, logger: silentLogger(), clock: deps.clock, parse: (body) => channel.parseSocketPayload(body), handler, ackWithinMs });
  const client = (mode as unknown as { receiver: SocketModeReceiver }).receiver.client;
  /** Delivers one envelope as the socket client does; resolves with what was acknowledged. */
  const deliver = (type: string, body: Record<string, unknown>) =>
    new Promise<{ acked: unknown; at: number }>((resolve) => {
      client.emit('slack_event', { type, body, retry_num: undefined, retry_reason: undefined, ack: async (response?: unknown) => resolve({ acked: response, at: Date.now() }) });
    });
  return { deliver };
}

const answered = async (): Promise<TurnOutcome> => ({ status: 'answered', replies: [] });

describe('Socket Mode', () => {
  it('tells the three payloads apart as Bolt does', () => {
    expect(socketPayloadKind(eventCallback(messageEvent({ channel: 'D1', user: 'U1', text: 'hi' })))).toBe('events');
    expect(socketPayloadKind(slashCommand({ command: '/task', text: 'list', channel_id: 'C1', user_id: 'U1' }))).toBe('command');
    expect(socketPayloadKind(blockActions({ user: 'U1', channel: 'C1', messageTs: '1.1', actionId: 'cancel' }))).toBe('interaction');
  });

  it('hands an event to the handler with the same mapping as the webhook, and acknowledges once it is handled', async () => {
    const seen: InboundMessage[] = [];
    const { deliver } = socket(async (message) => {
      seen.push(message);
      return answered();
    });
    const { acked } = await deliver('events_api', eventCallback(messageEvent({ channel: 'D0ANA00001', user: 'U0ANA00001', text: 'my tasks', ts: '1700000000.000001' })));
    expect(acked).toBeUndefined();
    expect(seen).toEqual([expect.objectContaining({ channel: 'slack', messageId: '1700000000.000001', conversation: 'D0ANA00001', text: 'my tasks' })]);
  });

  it('acknowledges a slash command with its ephemeral note, and a click on Cancel', async () => {
    const seen: InboundMessage[] = [];
    const { deliver } = socket(async (message) => {
      seen.push(message);
      return answered();
    });
    const command = await deliver('slash_commands', slashCommand({ command: '/deploy', text: 'soarix-web production', channel_id: 'C0OPS00001', user_id: 'U0ANA00001' }));
    expect(command.acked).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^On it/) });
    await deliver('interactive', blockActions({ user: 'U0ANA00001', channel: 'C0OPS00001', messageTs: '1700000001.000001', actionId: 'cancel' }));
    expect(seen.map((m) => [m.text, m.viaButton ?? false])).toEqual([
      ['deploy soarix-web production', false],
      ['cancel', true],
    ]);
  });

  it('acknowledges by the deadline when handling takes longer, and acknowledges a malformed envelope without handling it', async () => {
    let calls = 0;
    const { deliver } = socket(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return answered();
    }, 200);
    const started = Date.now();
    const { at } = await deliver('events_api', eventCallback(messageEvent({ channel: 'D0ANA00001', user: 'U0ANA00001', text: 'slow one' })));
    expect(at - started).toBeLessThan(1_500);
    const malformed = await deliver('events_api', { type: 'event_callback', event: { type: 'message', channel: 'D0ANA00001', text: 'no user, no ts' } });
    expect(malformed.acked).toBeUndefined();
    expect(calls).toBe(1);
  });
});
