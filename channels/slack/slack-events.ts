import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import type { InboundMessage, VoiceAttachment } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';
import { describeIssues } from './describe-issues.js';
import { mentionsUser, plainTextFromSlack } from './slack-text.js';

/**
 * The Events API, from the envelope Slack POSTs (or sends over Socket Mode) to the bot's
 * `InboundMessage`. Pure: what the adapter knows (its bot user, the threads it is in, the time) comes
 * in as a context, and the outcome says what to remember, so HTTP and Socket Mode share this mapping.
 */

// --- the payloads (only the fields the bot reads; everything else passes through) ---

/** Slack message timestamps: seconds, a dot, microseconds ("1355517523.000005"). Unique per channel. */
const TS = /^\d+\.\d+$/;
const Ts = z.string().regex(TS, 'must be a Slack timestamp like 1355517523.000005');

const EnvelopeTypeSchema = z.object({ type: z.string({ error: 'type is required' }).min(1) }).loose();

export const UrlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1) }).loose();

export const EventCallbackSchema = z
  .object({
    type: z.literal('event_callback'),
    team_id: z.string().optional(),
    event_id: z.string().optional(),
    event: z.object({ type: z.string().min(1) }).loose(),
    authorizations: z.array(z.object({ user_id: z.string().optional(), is_bot: z.boolean().optional() }).loose()).optional(),
  })
  .loose();

export const SlackFileSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    mimetype: z.string().optional(),
    subtype: z.string().optional(),
    size: z.number().nonnegative().optional(),
    duration_ms: z.number().nonnegative().optional(),
  })
  .loose();

/** A `message` (no subtype, `file_share` or `thread_broadcast`) or `app_mention` event from a person. */
export const UserMessageEventSchema = z
  .object({
    type: z.enum(['message', 'app_mention']),
    subtype: z.string().optional(),
    channel: z.string().min(1),
    user: z.string().min(1),
    text: z.string().default(''),
    ts: Ts,
    thread_ts: Ts.optional(),
    event_ts: z.string().optional(),
    channel_type: z.string().optional(),
    parent_user_id: z.string().optional(),
    files: z.array(SlackFileSchema).optional(),
  })
  .loose();
export type UserMessageEvent = z.infer<typeof UserMessageEventSchema>;

export const MessageChangedEventSchema = z
  .object({
    type: z.literal('message'),
    subtype: z.literal('message_changed'),
    channel: z.string().min(1),
    ts: Ts,
    event_ts: z.string().optional(),
    channel_type: z.string().optional(),
    message: z
      .object({
        user: z.string().optional(),
        bot_id: z.string().nullish(),
        subtype: z.string().optional(),
        text: z.string().default(''),
        ts: Ts,
        thread_ts: Ts.optional(),
        parent_user_id: z.string().optional(),
        edited: z.object({ user: z.string().optional(), ts: z.string().optional() }).loose().optional(),
      })
      .loose(),
    previous_message: z.object({ text: z.string().optional() }).loose().optional(),
  })
  .loose();

// --- the mapping ---

export interface SlackEventContext {
  /** The bot's own user id (from auth.test); the envelope's bot authorization is used when unknown. */
  botUserId: string | undefined;
  /** The bot's bot id (`B…`), to recognise its own messages. */
  botId?: string | undefined;
  /** Whether the bot takes part in a channel thread. */
  threads: { has(channel: string, threadTs: string): boolean };
  /** Now (ms), from the clock port: the message's `receivedAt`. */
  now: number;
}

export interface ThreadRef {
  channel: string;
  thread: string;
}

export type SlackEventOutcome =
  /** A `url_verification` handshake: answer with the challenge. */
  | { kind: 'challenge'; challenge: string }
  /** A message for the bot; `join` is a channel thread the bot now takes part in. */
  | { kind: 'message'; message: InboundMessage; join?: ThreadRef }
  /** Acknowledged and not handled (deleted, from a bot, not for the bot, an event we do not use). */
  | { kind: 'ignored'; reason: string; join?: ThreadRef };

/**
 * Maps one Events API payload (already verified) to what the bot does with it.
 * Throws `BadRequestError` for a body that is not a Slack payload (400: nothing is stored).
 *
 * @example
 * const outcome = parseSlackEvent(JSON.parse(body), { botUserId: 'U0LAN0Z89', threads, now: clock.now() });
 * if (outcome.kind === 'message') await pipeline.enqueueInbound(outcome.message);
 */
export function parseSlackEvent(body: unknown, context: SlackEventContext): SlackEventOutcome {
  const envelope = EnvelopeTypeSchema.safeParse(body);
  if (!envelope.success) throw new BadRequestError('Not a Slack Events API payload: a JSON object with a "type" is expected.');
  switch (envelope.data.type) {
    case 'url_verification': {
      const parsed = UrlVerificationSchema.safeParse(body);
      if (!parsed.success) throw new BadRequestError('url_verification needs a "challenge".');
      return { kind: 'challenge', challenge: parsed.data.challenge };
    }
    case 'event_callback': {
      const parsed = EventCallbackSchema.safeParse(body);
      if (!parsed.success) throw new BadRequestError(`event_callback: ${describeIssues(parsed.error)}`);
      const botUserId = context.botUserId ?? parsed.data.authorizations?.find((a) => a.is_bot)?.user_id;
      return parseInnerEvent(parsed.data.event, { ...context, botUserId });
    }
    case 'app_rate_limited':
      return { kind: 'ignored', reason: 'Slack is rate-limiting the events sent to this app (app_rate_limited)' };
    default:
      return { kind: 'ignored', reason: `envelope type ${envelope.data.type} is not used` };
  }
}

/** The inner `event` of an `event_callback` (Socket Mode's `events_api` carries the same envelope). */
export function parseInnerEvent(event: { type: string; [key: string]: unknown }, context: SlackEventContext): SlackEventOutcome {
  const fromBot = fromABot(event, context);
  if (fromBot) return fromBot;
  if (event.type === 'app_mention') return userMessage(event, context);
  if (event.type !== 'message') return { kind: 'ignored', reason: `event ${event.type} is not used` };
  const subtype = typeof event.subtype === 'string' ? event.subtype : undefined;
  switch (subtype) {
    case undefined:
    case 'file_share':
    case 'thread_broadcast':
      return userMessage(event, context);
    case 'message_changed':
      return editedMessage(event, context);
    case 'message_deleted':
      return { kind: 'ignored', reason: 'a message was deleted' };
    default:
      return { kind: 'ignored', reason: `message subtype ${subtype} is not a person writing to the bot` };
  }
}

/** Messages from bots (ours included) never act; our own message in a thread marks the thread joined. */
function fromABot(event: Record<string, unknown>, context: SlackEventContext): Extract<SlackEventOutcome, { kind: 'ignored' }> | undefined {
  const botId = typeof event.bot_id === 'string' && event.bot_id ? event.bot_id : undefined;
  const user = typeof event.user === 'string' ? event.user : undefined;
  const isOurs = (context.botUserId !== undefined && user === context.botUserId) || (context.botId !== undefined && botId === context.botId);
  if (!botId && event.subtype !== 'bot_message' && !isOurs) return undefined;
  const channel = typeof event.channel === 'string' ? event.channel : undefined;
  const thread = typeof event.thread_ts === 'string' ? event.thread_ts : undefined;
  const join = isOurs && channel && thread && !isDirect(channel, event.channel_type) ? { channel, thread } : undefined;
  return { kind: 'ignored', reason: isOurs ? 'our own message' : 'a message from a bot', ...(join ? { join } : {}) };
}

function userMessage(raw: Record<string, unknown>, context: SlackEventContext): SlackEventOutcome {
  const parsed = UserMessageEventSchema.safeParse(raw);
  if (!parsed.success) throw new BadRequestError(`${String(raw.type)} event: ${describeIssues(parsed.error)}`);
  const event = parsed.data;
  const addressed = addressing(
    { channel: event.channel, channelType: event.channel_type, ts: event.ts, threadTs: event.thread_ts, parentUserId: event.parent_user_id },
    event.type === 'app_mention' || mentionsUser(event.text, context.botUserId),
    context,
  );
  if ('ignored' in addressed) return { kind: 'ignored', reason: addressed.ignored };
  const text = plainTextFromSlack(event.text, context.botUserId);
  const voice = voiceOf(event.files);
  if (!text && !voice) return { kind: 'ignored', reason: 'nothing to read (an empty message or a file that is not audio)', ...joinOf(addressed) };
  const message: InboundMessage = {
    channel: 'slack',
    messageId: event.ts,
    conversation: event.channel,
    ...(addressed.thread ? { thread: addressed.thread } : {}),
    user: { id: event.user },
    text,
    ...(voice ? { voice } : {}),
    sentAt: tsToMs(event.ts),
    receivedAt: context.now,
    ...(event.thread_ts && event.thread_ts !== event.ts ? { replyTo: event.thread_ts } : {}),
  };
  // Ids with NUL or a lone surrogate, or a ts no Date can hold, refuse the event (400) before anything is stored.
  return { kind: 'message', message: sanitiseInbound(message), ...joinOf(addressed) };
}

/**
 * An edit (`message_changed`): shown to the agent as a new message marked `edited` (it can never
 * confirm), with its own message id so it is not mistaken for a retry of the original. Changes that
 * are not a person editing the text (link unfurls, metadata) are ignored, or they would repeat a request.
 */
function editedMessage(raw: Record<string, unknown>, context: SlackEventContext): SlackEventOutcome {
  const parsed = MessageChangedEventSchema.safeParse(raw);
  if (!parsed.success) throw new BadRequestError(`message_changed event: ${describeIssues(parsed.error)}`);
  const event = parsed.data;
  const inner = event.message;
  const fromBot = fromABot({ ...inner, channel: event.channel, channel_type: event.channel_type }, context);
  if (fromBot) return { kind: 'ignored', reason: `an edit of ${fromBot.reason}` };
  if (!inner.user) return { kind: 'ignored', reason: 'an edited message without a user' };
  if (!inner.edited) return { kind: 'ignored', reason: 'a change that is not an edit (an unfurl or metadata)' };
  if (event.previous_message?.text !== undefined && event.previous_message.text === inner.text) {
    return { kind: 'ignored', reason: 'an edit that left the text unchanged' };
  }
  const addressed = addressing(
    { channel: event.channel, channelType: event.channel_type, ts: inner.ts, threadTs: inner.thread_ts, parentUserId: inner.parent_user_id },
    mentionsUser(inner.text, context.botUserId),
    context,
  );
  if ('ignored' in addressed) return { kind: 'ignored', reason: `an edit of ${addressed.ignored}` };
  const text = plainTextFromSlack(inner.text, context.botUserId);
  if (!text) return { kind: 'ignored', reason: 'an edit that left no text' };
  const editedAt = event.event_ts ?? event.ts;
  const message: InboundMessage = {
    channel: 'slack',
    messageId: `${inner.ts}:edited:${editedAt}`,
    conversation: event.channel,
    ...(addressed.thread ? { thread: addressed.thread } : {}),
    user: { id: inner.user },
    text,
    edited: true,
    sentAt: tsToMs(TS.test(editedAt) ? editedAt : event.ts),
    receivedAt: context.now,
  };
  return { kind: 'message', message: sanitiseInbound(message), ...joinOf(addressed) };
}

interface Place {
  channel: string;
  channelType: string | undefined;
  ts: string;
  threadTs: string | undefined;
  parentUserId: string | undefined;
}

type Addressed = { thread: string | undefined; join: ThreadRef | undefined } | { ignored: string };

/**
 * Where a message belongs, and whether it is for the bot at all.
 * - A direct message is always for the bot; its thread is Slack's thread only when it is already in one.
 * - In a channel (public, private or a group DM) the bot reads a message that mentions it, or one in a
 *   thread it takes part in. The conversation's thread is the message's thread (or the message itself,
 *   which starts one), so the bot answers in the thread and the confirmation phrase is typed there.
 */
function addressing(place: Place, mentioned: boolean, context: SlackEventContext): Addressed {
  if (isDirect(place.channel, place.channelType)) return { thread: place.threadTs, join: undefined };
  const thread = place.threadTs ?? place.ts;
  const joined = { thread, join: { channel: place.channel, thread } };
  if (mentioned) return joined;
  // The thread's first message counts too: an edit of the request that started the thread is in it.
  if (context.threads.has(place.channel, thread)) return joined;
  if (!place.threadTs) return { ignored: 'a channel message that does not mention the bot' };
  const startedByBot = context.botUserId !== undefined && place.parentUserId === context.botUserId;
  return startedByBot ? joined : { ignored: 'a channel thread the bot takes no part in' };
}

function joinOf(addressed: { join: ThreadRef | undefined }): { join?: ThreadRef } {
  return addressed.join ? { join: addressed.join } : {};
}

/** Direct messages are `im`; an event without `channel_type` (app_mention, edits) is a DM when its id is `D…`. */
export function isDirect(channel: string, channelType: unknown): boolean {
  return channelType === 'im' || (channelType === undefined && channel.startsWith('D'));
}

/** The first audio file (a recorded clip or an uploaded voice note) as the message's voice note. */
function voiceOf(files: z.infer<typeof SlackFileSchema>[] | undefined): VoiceAttachment | undefined {
  const audio = files?.find((f) => f.mimetype?.toLowerCase().startsWith('audio/') || f.subtype === 'slack_audio');
  if (!audio) return undefined;
  return {
    kind: 'voice',
    fileRef: audio.id,
    ...(audio.mimetype ? { declaredMimeType: audio.mimetype } : {}),
    ...(audio.size !== undefined ? { declaredSizeBytes: audio.size } : {}),
    ...(audio.duration_ms !== undefined ? { durationSeconds: audio.duration_ms / 1000 } : {}),
  };
}

/** "1355517523.000005" → 1355517523000 (ms). */
export function tsToMs(ts: string): number {
  return Math.floor(Number(ts) * 1000);
}
