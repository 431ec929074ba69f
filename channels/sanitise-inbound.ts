import { BadRequestError } from '../core/errors.js';
import type { InboundMessage, VoiceAttachment } from './message.js';

/**
 * The one gate every adapter passes its `InboundMessage`s through before they leave it, so that
 * nothing PostgreSQL cannot store ever reaches the pipeline's SQL:
 * - NUL (`\u0000`): refused by `text` columns and by `jsonb` (the message is stored as a payload too);
 * - a lone UTF-16 surrogate (`\ud800` without its pair): not valid UTF-8, and `JSON.stringify` writes
 *   it as the escape `\ud800`, which `jsonb` refuses;
 * - a time no `Date`, ISO string or `timestamptz` can hold.
 *
 * Per field, what a mature product does:
 * - identifiers (message id, conversation key, thread, user id, reply-to, file reference) are keys: a
 *   changed key would be another person or conversation, so a bad one refuses the message (400, or the
 *   item alone in a batch); control characters are refused too (platforms never send them in ids);
 * - free text (message text, display name, declared media type) keeps the message: NUL is removed and
 *   a lone surrogate becomes U+FFFD, as a UTF-8 decoder does with a broken byte;
 * - a declared size or duration that is not a finite non-negative number is dropped (it is a hint the
 *   media step never trusts); an impossible `sentAt` refuses the message.
 */

/**
 * Written out rather than `String.prototype.toWellFormed` (Node 20): the project's TypeScript lib is
 * ES2023, which does not declare it, and NUL needs a pass of its own either way.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LONE_SURROGATE_TEST = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The longest identifier accepted (WhatsApp's wamids are ~60 characters, Slack's ids ~20). */
export const MAX_IDENTIFIER_LENGTH = 512;

/** 9999-12-31T23:59:59.999Z: the last instant a 4-digit ISO year, `Date` and `timestamptz` all hold. */
export const LATEST_POSSIBLE_TIME_MS = 253_402_300_799_999;

/** A message (or one item of a batch) that cannot be stored as it is; 400 at the HTTP boundary. */
export class UnstorableInputError extends BadRequestError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}.`, { field });
  }
}

/**
 * Free text made storable: NUL removed, each lone surrogate replaced by U+FFFD.
 *
 * @example
 * cleanText('a\u0000b\ud800c') // 'ab\ufffdc'
 */
export function cleanText(value: string): string {
  return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Whether a string holds anything PostgreSQL cannot store (NUL, a lone surrogate). */
export function isStorable(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE_TEST.test(value);
}

/** Why `value` cannot be an identifier, or undefined when it can. */
export function identifierProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_IDENTIFIER_LENGTH) return `must be at most ${MAX_IDENTIFIER_LENGTH} characters`;
  if (!isStorable(value)) return 'contains a NUL character or an unpaired UTF-16 surrogate';
  if (CONTROL.test(value)) return 'contains a control character';
  return undefined;
}

/** Throws `UnstorableInputError` unless `value` is a usable identifier. */
export function checkIdentifier(value: unknown, field: string): string {
  const problem = identifierProblem(value);
  if (problem) throw new UnstorableInputError(field, problem);
  return value as string;
}

/** Whether `ms` is a time a `Date`, an ISO string and a `timestamptz` can all hold (1970 to 9999). */
export function isPossibleTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= LATEST_POSSIBLE_TIME_MS;
}

/**
 * Every string in a value (objects and arrays, to any depth) made storable with `cleanText`, and
 * numbers JSON cannot carry (NaN, ±Infinity) dropped; for payloads kept as `jsonb` beside a row.
 */
export function cleanDeep<T>(value: T): T {
  return cleanValue(value) as T;
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) return value.map((item) => cleanValue(item) ?? null);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = cleanValue(item);
      if (cleaned !== undefined) out[cleanText(key)] = cleaned;
    }
    return out;
  }
  return value;
}

/**
 * The message made storable, or `UnstorableInputError` (400) naming the first field that cannot be.
 * Adapters call it on every message they hand over; a batch calls `sanitiseBatch` instead.
 *
 * @example
 * sanitiseInbound({ ...message, text: 'hi\u0000' }).text // 'hi'
 * sanitiseInbound({ ...message, conversation: 'C1\u0000' }) // throws UnstorableInputError (400)
 */
export function sanitiseInbound(message: InboundMessage): InboundMessage {
  checkIdentifier(message.messageId, 'messageId');
  checkIdentifier(message.conversation, 'conversation');
  if (message.thread !== undefined) checkIdentifier(message.thread, 'thread');
  checkIdentifier(message.user?.id, 'user.id');
  if (message.replyTo !== undefined) checkIdentifier(message.replyTo, 'replyTo');
  if (message.sentAt !== undefined && !isPossibleTime(message.sentAt)) {
    throw new UnstorableInputError('sentAt', 'is not a possible time');
  }
  if (!isPossibleTime(message.receivedAt)) throw new UnstorableInputError('receivedAt', 'is not a possible time');
  if (typeof message.text !== 'string') throw new UnstorableInputError('text', 'must be a string');
  const displayName = message.user.displayName === undefined ? undefined : cleanText(message.user.displayName).trim();
  const voice = message.voice ? sanitiseVoice(message.voice) : undefined;
  const { voice: _voice, user: _user, ...rest } = message;
  // The deep pass covers fields added to InboundMessage later: none can carry NUL into jsonb.
  return cleanDeep({
    ...rest,
    // An empty name after cleaning is no name (cleanDeep drops the undefined).
    user: { ...message.user, displayName: displayName || undefined },
    text: cleanText(message.text),
    ...(voice ? { voice } : {}),
  });
}

function sanitiseVoice(voice: VoiceAttachment): VoiceAttachment {
  checkIdentifier(voice.fileRef, 'voice.fileRef');
  const hint = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined);
  const size = hint(voice.declaredSizeBytes);
  const duration = hint(voice.durationSeconds);
  const mime = voice.declaredMimeType === undefined ? undefined : cleanText(voice.declaredMimeType);
  return {
    kind: voice.kind,
    fileRef: voice.fileRef,
    ...(mime ? { declaredMimeType: mime } : {}),
    ...(size !== undefined ? { declaredSizeBytes: size } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
  };
}

export interface RejectedItem {
  index: number;
  field: string;
  reason: string;
}

/**
 * A batch (WhatsApp's `entry[].changes[]`) made storable item by item: one item that cannot be stored
 * is left out (and reported), never the batch, so the good messages are kept and answered.
 */
export function sanitiseBatch(messages: readonly InboundMessage[]): { messages: InboundMessage[]; rejected: RejectedItem[] } {
  const kept: InboundMessage[] = [];
  const rejected: RejectedItem[] = [];
  messages.forEach((message, index) => {
    try {
      kept.push(sanitiseInbound(message));
    } catch (error) {
      if (!(error instanceof UnstorableInputError)) throw error;
      rejected.push({ index, field: error.field, reason: error.reason });
    }
  });
  return { messages: kept, rejected };
}
