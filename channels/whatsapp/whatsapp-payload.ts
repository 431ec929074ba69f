import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import type { InboundMessage } from '../message.js';
import { cleanDeep, identifierProblem, isPossibleTime, sanitiseInbound, UnstorableInputError } from '../sanitise-inbound.js';

/**
 * The webhook notifications of the WhatsApp Cloud API (`object: "whatsapp_business_account"`), as
 * Meta documents them: `entry[].changes[]` with `field: "messages"` and a `value` holding
 * `metadata`, `contacts[]`, `messages[]` (what users send) and `statuses[]` (what happened to what
 * we sent). The envelope is validated strictly: anything else is not a WhatsApp payload (400).
 * Each message is validated on its own, so one message of an unexpected shape is skipped without
 * refusing the others (Meta would redeliver a refused batch for days). The same holds for an item
 * that cannot be stored (an id with NUL or a lone surrogate, a timestamp no `Date` can hold): it is
 * left out and reported in `skipped`, the good items of the batch are kept.
 */

// --- schemas ---

const ErrorSchema = z
  .object({
    code: z.number().int(),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).loose().optional(),
    href: z.string().optional(),
  })
  .loose();
export type WhatsAppWebhookError = z.infer<typeof ErrorSchema>;

const MediaSchema = z
  .object({
    id: z.string().min(1),
    mime_type: z.string().optional(),
    sha256: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    /** Audio only: true for a voice note recorded in WhatsApp, false or absent for an audio file. */
    voice: z.boolean().optional(),
  })
  .loose();

const ReplySchema = z.object({ id: z.string().min(1), title: z.string().optional(), description: z.string().optional() }).loose();

export const WhatsAppMessageSchema = z
  .object({
    from: z.string().trim().min(1).max(64),
    id: z.string().min(1).max(256),
    timestamp: z.string().regex(/^\d+$/).optional(),
    type: z.string().min(1),
    text: z.object({ body: z.string() }).loose().optional(),
    audio: MediaSchema.optional(),
    image: MediaSchema.optional(),
    video: MediaSchema.optional(),
    document: MediaSchema.optional(),
    sticker: MediaSchema.optional(),
    interactive: z
      .object({ type: z.string(), button_reply: ReplySchema.optional(), list_reply: ReplySchema.optional() })
      .loose()
      .optional(),
    /** A quick-reply button of a template message. */
    button: z.object({ payload: z.string().optional(), text: z.string().optional() }).loose().optional(),
    location: z.object({ name: z.string().optional(), address: z.string().optional() }).loose().optional(),
    context: z
      .object({ from: z.string().optional(), id: z.string().optional(), forwarded: z.boolean().optional(), frequently_forwarded: z.boolean().optional() })
      .loose()
      .optional(),
    errors: z.array(ErrorSchema).optional(),
  })
  .loose();
export type WhatsAppMessage = z.infer<typeof WhatsAppMessageSchema>;

export const WhatsAppStatusSchema = z
  .object({
    /** The wamid of the message we sent. */
    id: z.string().min(1),
    /** sent, delivered, read, failed (and newer values such as played, kept as they come). */
    status: z.string().min(1),
    timestamp: z.string().regex(/^\d+$/).optional(),
    recipient_id: z.string().optional(),
    errors: z.array(ErrorSchema).optional(),
  })
  .loose();
export type WhatsAppStatus = z.infer<typeof WhatsAppStatusSchema>;

const MessagesValueSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }).loose(),
    contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).loose().optional() }).loose()).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
    errors: z.array(ErrorSchema).optional(),
  })
  .loose();

export const WhatsAppNotificationSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z
        .object({
          id: z.string(),
          changes: z.array(z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) }).loose()),
        })
        .loose(),
    )
    .min(1),
});
export type WhatsAppNotification = z.infer<typeof WhatsAppNotificationSchema>;

// --- parsing ---

export interface DeliveryStatusUpdate {
  platformMessageId: string;
  status: string;
  /** What the repository keeps beside the status: the platform's errors and its timestamp. */
  detail: Record<string, unknown>;
}

export interface ParsedNotification {
  messages: InboundMessage[];
  statuses: DeliveryStatusUpdate[];
  /** Messages and changes left out, with why (for the log; never with phone numbers). */
  skipped: { reason: string; type?: string }[];
  /** Errors Meta reports about the app or number itself (`value.errors`). */
  errors: WhatsAppWebhookError[];
}

/** Message types that are not something to answer: a reaction, a number change, an ad's welcome request. */
const SILENT_TYPES = new Set(['reaction', 'system', 'request_welcome', 'ephemeral']);

/**
 * Parses a notification already verified by its signature.
 * Throws BadRequestError when it is not a WhatsApp Cloud API notification.
 *
 * @example
 * const parsed = parseNotification(JSON.parse(body), { phoneNumberId: '106540352242922', receivedAt: clock.now() });
 * parsed.messages; // InboundMessage[]
 */
export function parseNotification(input: unknown, options: { phoneNumberId: string; receivedAt: number }): ParsedNotification {
  const envelope = WhatsAppNotificationSchema.safeParse(input);
  if (!envelope.success) throw new BadRequestError(`not a WhatsApp Cloud API notification: ${describeIssue(envelope.error)}`);
  const parsed: ParsedNotification = { messages: [], statuses: [], skipped: [], errors: [] };
  let malformed: BadRequestError | undefined;
  let usable = 0;
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        parsed.skipped.push({ reason: `field ${change.field} is not handled` });
        continue;
      }
      const value = MessagesValueSchema.safeParse(change.value);
      if (!value.success) {
        // One malformed change never loses the good ones beside it; a notification with nothing good is a 400.
        malformed ??= new BadRequestError(`not a WhatsApp messages notification: ${describeIssue(value.error)}`);
        parsed.skipped.push({ reason: `change of an unexpected shape: ${describeIssue(value.error)}` });
        continue;
      }
      usable++;
      // One app may serve several numbers; this adapter answers for its own only.
      if (value.data.metadata.phone_number_id !== options.phoneNumberId) {
        parsed.skipped.push({ reason: 'sent to another phone number id' });
        continue;
      }
      parsed.errors.push(...(value.data.errors ?? []));
      const names = new Map<string, string>();
      for (const contact of value.data.contacts ?? []) {
        if (contact.wa_id && contact.profile?.name) names.set(contact.wa_id, contact.profile.name);
      }
      const onlyName = value.data.contacts?.length === 1 ? value.data.contacts[0]?.profile?.name : undefined;
      for (const raw of value.data.messages ?? []) {
        const message = WhatsAppMessageSchema.safeParse(raw);
        if (!message.success) {
          parsed.skipped.push({ reason: `message of an unexpected shape: ${describeIssue(message.error)}` });
          continue;
        }
        let inbound: InboundMessage | undefined;
        try {
          const mapped = toInboundMessage(message.data, names.get(message.data.from) ?? onlyName, options.receivedAt);
          inbound = mapped && sanitiseInbound(mapped);
        } catch (error) {
          if (!(error instanceof UnstorableInputError)) throw error;
          parsed.skipped.push({ reason: `message that cannot be stored: ${error.message}`, type: cleanTypeName(message.data.type) });
          continue;
        }
        if (inbound) parsed.messages.push(inbound);
        else parsed.skipped.push({ reason: 'nothing to answer', type: cleanTypeName(message.data.type) });
      }
      for (const raw of value.data.statuses ?? []) {
        const status = WhatsAppStatusSchema.safeParse(raw);
        if (!status.success) {
          parsed.skipped.push({ reason: `status of an unexpected shape: ${describeIssue(status.error)}` });
          continue;
        }
        const problem = statusProblem(status.data);
        if (problem) {
          parsed.skipped.push({ reason: `status that cannot be stored: ${problem}` });
          continue;
        }
        parsed.statuses.push({
          platformMessageId: status.data.id,
          status: status.data.status,
          // Meta's error texts are free text: kept, made storable.
          detail: cleanDeep({
            ...(status.data.errors?.length ? { errors: status.data.errors } : {}),
            ...(status.data.timestamp ? { platformTimestamp: new Date(Number(status.data.timestamp) * 1000).toISOString() } : {}),
          }),
        });
      }
    }
  }
  if (malformed && usable === 0) throw malformed;
  return parsed;
}

/** Why a status cannot be recorded (its wamid or status is no identifier, its time is impossible), or undefined. */
function statusProblem(status: WhatsAppStatus): string | undefined {
  const id = identifierProblem(status.id);
  if (id) return `id ${id}`;
  const value = identifierProblem(status.status);
  if (value) return `status ${value}`;
  if (status.timestamp !== undefined && !isPossibleTime(Number(status.timestamp) * 1000)) return 'timestamp is not a possible time';
  return undefined;
}

/** A message type for the log, whatever the sender put in it. */
function cleanTypeName(type: string): string {
  return identifierProblem(type) ? '(unreadable)' : type.slice(0, 40);
}

/**
 * One WhatsApp message as the bot's own message. The conversation and the user are both the
 * sender's WhatsApp id (their number in E.164 digits): a Cloud API chat is always one-to-one.
 * Returns undefined for messages that are not something to answer (reactions, system notices).
 */
export function toInboundMessage(message: WhatsAppMessage, displayName: string | undefined, receivedAt: number): InboundMessage | undefined {
  if (SILENT_TYPES.has(message.type)) return undefined;
  const base: InboundMessage = {
    channel: 'whatsapp',
    messageId: message.id,
    conversation: message.from,
    user: { id: message.from, ...(displayName ? { displayName } : {}) },
    text: '',
    receivedAt,
    ...(message.timestamp ? { sentAt: Number(message.timestamp) * 1000 } : {}),
    ...(message.context?.forwarded || message.context?.frequently_forwarded ? { forwarded: true } : {}),
    ...(message.context?.id ? { replyTo: message.context.id } : {}),
  };
  switch (message.type) {
    case 'text':
      return { ...base, text: message.text?.body ?? '' };
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      // A tapped button arrives as its id: the bot reads ids, never labels (a label may be translated).
      if (reply) return { ...base, text: reply.id, viaButton: true };
      return { ...base, text: `[${message.interactive?.type ?? 'interactive'} reply]` };
    }
    case 'button':
      return { ...base, text: message.button?.payload || message.button?.text || '', viaButton: true };
    case 'audio': {
      const audio = message.audio;
      if (!audio) return { ...base, text: '[audio]' };
      // The text stays empty: the media step fills it with the transcript.
      return {
        ...base,
        voice: { kind: audio.voice ? 'voice' : 'audio', fileRef: audio.id, ...(audio.mime_type ? { declaredMimeType: audio.mime_type } : {}) },
      };
    }
    default:
      return { ...base, text: describeUnsupported(message) };
  }
}

/** `[image] the caption`: what was sent, so the bot can say it reads text and voice notes only. */
function describeUnsupported(message: WhatsAppMessage): string {
  const label = message.type === 'unsupported' ? 'unsupported message' : message.type;
  let extra: string | undefined;
  if (message.type === 'image') extra = message.image?.caption;
  else if (message.type === 'video') extra = message.video?.caption;
  else if (message.type === 'document') extra = message.document?.caption ?? message.document?.filename;
  else if (message.type === 'location') extra = [message.location?.name, message.location?.address].filter(Boolean).join(', ');
  return extra ? `[${label}] ${extra}` : `[${label}]`;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
