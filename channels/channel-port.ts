import type { Clock } from '../core/clock.js';
import { SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ChannelName, InboundMessage, OutboundMessage, VoiceAttachment } from './message.js';

/**
 * What the bot offers a channel: one call per inbound message. The adapter hands the message over
 * and acknowledges its platform; it never decides what the bot says (Bolt's receivers call
 * `app.processEvent()` and nothing more).
 */
export type InboundHandler = (message: InboundMessage) => Promise<TurnOutcome>;

export interface TurnOutcome {
  /**
   * `answered`: handled now; `duplicate`: seen before (its replies are returned again); `busy`: being
   * handled; `rate_limited`: recorded but not handled (the sender was told to slow down).
   */
  status: 'answered' | 'duplicate' | 'busy' | 'rate_limited';
  replies: OutboundMessage[];
}

/** What a platform gave us: an HTTP request as raw as the adapter needs to verify its signature. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  /** The body exactly as received; signatures are computed over these bytes. */
  rawBody: Buffer;
}

/** The result of verifying and parsing one webhook request. */
export type ParsedRequest =
  /** Messages to hand to the bot, and the response that acknowledges them. */
  | { kind: 'messages'; messages: InboundMessage[]; ack: WebhookResponse }
  /** A protocol exchange answered directly (URL verification challenge, status callback). */
  | { kind: 'response'; response: WebhookResponse };

export interface WebhookResponse {
  status: number;
  body?: string | Record<string, unknown>;
  contentType?: string;
}

/** A webhook the HTTP server mounts for a channel. Verification failures throw coded errors (401/400). */
export interface WebhookRoute {
  method: 'GET' | 'POST';
  path: string;
  verifyAndParse(request: RawRequest): Promise<ParsedRequest>;
  /** The largest body this platform sends, when it is more than MAX_BODY_BYTES (Meta: 3 MB). */
  maxBodyBytes?: number;
}

/**
 * The port every channel adapter implements.
 *
 * @example
 * class TelegramChannel implements ChannelAdapter {
 *   readonly name = 'telegram';
 *   webhooks() { return [{ method: 'POST', path: '/webhooks/telegram', verifyAndParse: … }]; }
 *   async start(handler) { … }
 *   async stop() { … }
 *   async send(message) { … }
 * }
 */
export interface ChannelAdapter {
  readonly name: ChannelName;
  /** Begins receiving (long polling, sockets). Webhook channels receive through `webhooks()`. */
  start(handler: InboundHandler): Promise<void>;
  stop(): Promise<void>;
  /** Delivers one message to the platform. Throws on failure; the caller records and retries. */
  send(message: OutboundMessage): Promise<SentReceipt>;
  /** The HTTP routes the server mounts for this channel, if it receives by webhook. */
  webhooks?(): WebhookRoute[];
  /**
   * Downloads the bytes of a voice note or audio file this channel received (Telegram getFile,
   * WhatsApp's two-step media download, Slack's url_private). At most `maxBytes` are read: a larger
   * file throws a SwitchboardError with code `media_too_large`.
   */
  fetchMedia?(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia>;
}

/**
 * What a channel adapter may ask of the rest of the service, given to channel factories
 * (`createBot({ channels: (deps) => [...] })`): infrastructure, never the bot's decisions.
 */
export interface ChannelDeps {
  logger: Logger;
  clock: Clock;
  /** When the other side last wrote in a conversation (ms), e.g. for WhatsApp's 24-hour window. */
  lastInboundAt(channel: ChannelName, conversation: string): Promise<number | undefined>;
  /** Records a platform's delivery status of a message we sent (sent, delivered, read, failed). */
  recordDeliveryStatus(channel: ChannelName, platformMessageId: string, status: string, detail?: Record<string, unknown>): Promise<boolean>;
}

export interface FetchedMedia {
  bytes: Buffer;
  /** The type the platform declared; the media step sniffs the bytes rather than trusting it. */
  declaredMimeType?: string;
}

/**
 * A delivery that did not succeed, classified by what the platform can have seen:
 * - `retryable` (429, 5xx, connection refused before anything was sent): tried again by the outbox
 *   with backoff, honouring `retryAfterMs`;
 * - `outcomeUnknown` (a timeout or a connection lost after the request was written): the platform may
 *   have posted it, so it is recorded as `unknown` and never repeated blindly;
 * - otherwise permanent (4xx): recorded as failed at once.
 */
export class ChannelSendError extends SwitchboardError {
  readonly code = 'channel_send_failed';
  /** Why, when the team should hear about it (WhatsApp: `window_closed`). */
  readonly reason?: string;
  /** The request may have reached the platform: sending again could post the message twice. */
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    readonly channel: ChannelName,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; outcomeUnknown?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

/** Codes of a connection that failed before any byte of the request was sent: safe to try again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a network failure (no HTTP answer) happened before the request was written. Looks through
 * `cause` chains (undici: `TypeError: fetch failed` with the socket error as cause; node-fetch and
 * axios: `code` on the error itself). Anything else (timeouts, resets, sockets closed mid-answer) may
 * have reached the platform.
 */
export function failedBeforeSending(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    // undici refuses the ports the fetch standard blocks before it connects.
    if (current instanceof Error && current.message === 'bad port') return true;
    current = (current as { cause?: unknown }).cause ?? (current as { error?: unknown }).error ?? (current as { original?: unknown }).original;
  }
  return false;
}

export interface SentReceipt {
  /** The platform's id for the delivered message, when it gives one. */
  platformMessageId?: string;
}
