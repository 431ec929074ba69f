import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import type { InboundMessage } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';
import { describeIssues } from './describe-issues.js';

/** Button ids the bot's replies carry (DESIGN.md: buttons may cancel, never confirm). */
export const SLACK_HANDLED_BUTTONS: readonly string[] = ['cancel'];

const InteractionTypeSchema = z.object({ type: z.string().min(1) }).loose();

/** A `block_actions` payload (sent as the form field `payload`), the fields the bot reads. */
export const BlockActionsSchema = z
  .object({
    type: z.literal('block_actions'),
    trigger_id: z.string().min(1),
    user: z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() }).loose(),
    container: z
      .object({
        type: z.string(),
        message_ts: z.string().optional(),
        channel_id: z.string().optional(),
        thread_ts: z.string().optional(),
      })
      .loose()
      .optional(),
    channel: z.object({ id: z.string().min(1) }).loose().optional(),
    message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }).loose().optional(),
    actions: z.array(z.object({ action_id: z.string().min(1), action_ts: z.string().optional() }).loose()).min(1),
  })
  .loose();

export type SlackInteractionOutcome = { kind: 'message'; message: InboundMessage } | { kind: 'ignored'; reason: string };

/**
 * A button click as the bot's message: our Cancel button (action id `cancel`) becomes the text
 * `cancel` marked `viaButton` (it may cancel, it can never confirm), in the conversation and thread of
 * the message the button was on. Any other interaction is acknowledged and ignored.
 *
 * @example
 * parseSlackInteraction(JSON.parse(new URLSearchParams(body).get('payload')!), clock.now());
 */
export function parseSlackInteraction(payload: unknown, now: number): SlackInteractionOutcome {
  const typed = InteractionTypeSchema.safeParse(payload);
  if (!typed.success) throw new BadRequestError('Not a Slack interaction payload: a JSON object with a "type" is expected.');
  if (typed.data.type !== 'block_actions') return { kind: 'ignored', reason: `interaction ${typed.data.type} is not used` };
  const parsed = BlockActionsSchema.safeParse(payload);
  if (!parsed.success) throw new BadRequestError(`block_actions: ${describeIssues(parsed.error)}`);
  const interaction = parsed.data;
  const action = interaction.actions.find((a) => SLACK_HANDLED_BUTTONS.includes(a.action_id));
  if (!action) return { kind: 'ignored', reason: `action ${interaction.actions[0]!.action_id} is not one of the bot's buttons` };
  const conversation = interaction.container?.channel_id ?? interaction.channel?.id;
  const messageTs = interaction.container?.message_ts ?? interaction.message?.ts;
  if (!conversation || !messageTs) return { kind: 'ignored', reason: 'a button that is not on a message in a conversation' };
  // The message's own thread; a message that is itself a thread's first message (thread_ts === ts) sits
  // in the conversation outside any thread, where the request was made.
  const threadTs = interaction.container?.thread_ts ?? interaction.message?.thread_ts;
  const thread = threadTs && threadTs !== messageTs ? threadTs : undefined;
  const name = interaction.user.name ?? interaction.user.username;
  return {
    kind: 'message',
    message: sanitiseInbound({
      channel: 'slack',
      messageId: `action:${interaction.trigger_id}`,
      conversation,
      ...(thread ? { thread } : {}),
      user: { id: interaction.user.id, ...(name ? { displayName: name } : {}) },
      text: action.action_id,
      viaButton: true,
      receivedAt: now,
      replyTo: messageTs,
    }),
  };
}
