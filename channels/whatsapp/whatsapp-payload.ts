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
    // Items are validated one by one below: one odd contact, message, status or error never loses the rest.
    contacts: z.array(z.unknown()).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
    errors: z.array(z.unknown()).optional(),
  })
  .loose();

const ContactSchema = z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).loose().optional() }).loose();

/** The parse reads the envelope, each entry and each change on its own (see parseNotification). */
const EnvelopeSchema = z.object({ object: z.literal('whatsapp_business_account'), entry: z.array(z.unknown()).min(1) });
const EntrySchema = z.object({ id: z.string(), changes: z.array(z.unknown()) }).loose();
const ChangeSchema = z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) }).loose();

/** A whole notification as Meta documents it (the parse is more forgiving: item by item). */
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
  const envelope = EnvelopeSchema.safeParse(input);
  if (!envelope.success) throw new BadRequestError(`not a WhatsApp Cloud API notification: ${describeIssue(envelope.error)}`);
  const parsed: ParsedNotification = { messages: [], statuses: [], skipped: [], errors: [] };
  // One malformed entry or change never loses the good ones beside it; a notification with nothing good is a 400.
  let malformed: BadRequestError | undefined;
  let usable = 0;
  const refuse = (what: string, error: z.ZodError) => {
    malformed ??= new BadRequestError(`not a WhatsApp ${what}: ${describeIssue(error)}`);
    parsed.skipped.push({ reason: `${what} of an unexpected shape: ${describeIssue(error)}` });
  };
  for (const rawEntry of envelope.data.entry) {
    const entry = EntrySchema.safeParse(rawEntry);
    if (!entry.success) {
      refuse('Cloud API notification entry', entry.error);
      continue;
    }
    for (const rawChange of entry.data.changes) {
      const change = ChangeSchema.safeParse(rawChange);
      if (!change.success) {
        refuse('Cloud API notification change', change.error);
        continue;
      }
      if (change.data.field !== 'messages') {
        usable++;
        parsed.skipped.push({ reason: `field ${cleanTypeName(change.data.field)} is not handled` });
        continue;
      }
      const value = MessagesValueSchema.safeParse(change.data.value);
      if (!value.success) {
        refuse('messages notification', value.error);
        continue;
      }
      usable++;
      // One app may serve several numbers; this adapter answers for its own only.
      if (value.data.metadata.phone_number_id !== options.phoneNumberId) {
        parsed.skipped.push({ reason: 'sent to another phone number id' });
        continue;
      }
      for (const raw of value.data.errors ?? []) {
        const error = ErrorSchema.safeParse(raw);
        if (error.success) parsed.errors.push(documentedError(error.data));
        else parsed.skipped.push({ reason: `error of an unexpected shape: ${describeIssue(error.error)}` });
      }
      const contacts = (value.data.contacts ?? []).flatMap((raw) => {
        const contact = ContactSchema.safeParse(raw);
        return contact.success ? [contact.data] : [];
      });
      const names = new Map<string, string>();
      for (const contact of contacts) {
        if (contact.wa_id && contact.profile?.name) names.set(contact.wa_id, contact.profile.name);
      }
      const onlyName = value.data.contacts?.length === 1 ? contacts[0]?.profile?.name : undefined;
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
          // Meta's error texts are free text: kept, made storable. Only the documented fields are kept:
          // the objects are loose, and whatever else a sender nests there has no place in the row.
          detail: cleanDeep({
            ...(status.data.errors?.length ? { errors: status.data.errors.map(documentedError) } : {}),
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

function documentedError(error: WhatsAppWebhookError): WhatsAppWebhookError {
  const details = error.error_data?.details;
  return {
    code: error.code,
    ...(error.title !== undefined ? { title: error.title } : {}),
    ...(error.message !== undefined ? { message: error.message } : {}),
    ...(details !== undefined ? { error_data: { details } } : {}),
    ...(error.href !== undefined ? { href: error.href } : {}),
  };
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
