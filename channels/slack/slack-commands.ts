import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import type { ParsedRequest } from '../channel-port.js';
import type { InboundMessage } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';
import { describeIssues } from './describe-issues.js';
import { escapeMrkdwn } from './slack-format.js';
import { isDirect } from './slack-events.js';
import { plainTextFromSlack } from './slack-text.js';

/** The slash commands the Slack app declares (README, "Slack"); each is read as its word plus its text. */
export const SLACK_SLASH_COMMANDS = ['deploy', 'build', 'domain', 'lead', 'task', 'switchboard'] as const;
export type SlackSlashCommand = (typeof SLACK_SLASH_COMMANDS)[number];

/** The form Slack POSTs for a slash command (application/x-www-form-urlencoded), fields the bot reads. */
export const SlashCommandSchema = z
  .object({
    command: z.string().regex(/^\/[a-z0-9_-]+$/i, 'must be a slash command like /deploy'),
    text: z.string().default(''),
    channel_id: z.string().min(1),
    user_id: z.string().min(1),
    trigger_id: z.string().min(1),
    user_name: z.string().optional(),
    team_id: z.string().optional(),
    channel_name: z.string().optional(),
    response_url: z.string().optional(),
  })
  .loose();
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/**
 * A slash command as the bot's message: the command word without the slash, then its text
 * (`/deploy soarix-web production` → `deploy soarix-web production`); `/switchboard` is the bot's own
 * command, so its text is read alone (`/switchboard help` → `help`, a bare `/switchboard` → `help`).
 * The conversation is the channel (Slack runs slash commands outside threads), the message id the
 * command's `trigger_id`. The request is acknowledged at once with a short ephemeral note; the reply is
 * posted by `send()`. An unknown command is answered directly and stored nowhere.
 *
 * @example
 * parseSlashCommand(Object.fromEntries(new URLSearchParams(body)), clock.now());
 * // { kind: 'messages', messages: [{ text: 'deploy soarix-web production', conversation: 'C123', … }], ack: { status: 200, … } }
 */
export function parseSlashCommand(fields: Record<string, unknown>, now: number): ParsedRequest {
  const parsed = SlashCommandSchema.safeParse(fields);
  if (!parsed.success) throw new BadRequestError(`Not a Slack slash command: ${describeIssues(parsed.error)}`);
  const command = parsed.data;
  const name = command.command.slice(1).toLowerCase();
  if (!(SLACK_SLASH_COMMANDS as readonly string[]).includes(name)) {
    return { kind: 'response', response: ephemeral(`I don't know the command ${escapeMrkdwn(command.command)}. Try \`/switchboard help\`.`) };
  }
  const args = plainTextFromSlack(command.text, undefined);
  const text = name === 'switchboard' ? args || 'help' : `${name} ${args}`.trim();
  const message: InboundMessage = sanitiseInbound({
    channel: 'slack',
    messageId: `command:${command.trigger_id}`,
    conversation: command.channel_id,
    user: { id: command.user_id, ...(command.user_name ? { displayName: command.user_name } : {}) },
    text,
    receivedAt: now,
  });
  const inChannel = !isDirect(command.channel_id, undefined);
  const note =
    `On it: \`${escapeMrkdwn(`${command.command} ${args}`.trim())}\`. I'll answer here.` +
    (inChannel ? ' To answer me in this channel, use `/switchboard <your answer>`.' : '');
  return { kind: 'messages', messages: [message], ack: ephemeral(note) };
}

/** A response only the person who ran the command sees. */
function ephemeral(text: string) {
  return { status: 200, contentType: 'application/json', body: { response_type: 'ephemeral', text } };
}
