import { SwitchboardError } from '../../core/errors.js';
import { maskPhone } from '../../core/redact.js';
import { ChannelSendError } from '../channel-port.js';

/** Graph error codes (`error.code`) from Meta's Cloud API error reference that the adapter acts on. */
export const GRAPH_ERROR = {
  /** Re-engagement message: more than 24 hours since the customer last wrote. */
  reEngagement: 131047,
  /** Message undeliverable (not on WhatsApp, old app version, blocked). */
  undeliverable: 131026,
  /** Cloud API throughput reached. */
  rateLimitHit: 130429,
  /** The WhatsApp Business Account reached its rate limit. */
  accountRateLimit: 80007,
  /** Too many messages from this number to the same recipient in a short time. */
  pairRateLimit: 131056,
  /** Invalid OAuth access token. */
  invalidToken: 190,
} as const;

/**
 * Codes that say "later", not "never": throttling (4, 17, 613, 80007, 130429, 131056) and the
 * platform being unavailable (2, 131000, 131016, 133004). Everything else is the request's fault
 * and would fail again.
 */
const RETRYABLE_CODES = new Set<number>([2, 4, 17, 613, 80007, 130429, 131000, 131016, 131056, 133004]);

export interface GraphErrorDetails {
  httpStatus?: number;
  graphCode?: number;
  graphSubcode?: number;
  fbtraceId?: string;
  retryable: boolean;
  retryAfterMs?: number;
  /** No answer after the request was written (timeout, reset): Meta may have accepted it. */
  outcomeUnknown?: boolean;
}

/** A request to the Graph API that failed: an error answer, a network failure or a timeout. */
export class WhatsAppApiError extends SwitchboardError {
  readonly code = 'whatsapp_api_error';
  override readonly status = 502;
  constructor(
    message: string,
    readonly details: GraphErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get isReEngagement(): boolean {
    return this.details.graphCode === GRAPH_ERROR.reEngagement;
  }
}

/**
 * The client's 24-hour customer-service window is closed and no approved template is configured:
 * WhatsApp accepts nothing but a template outside the window, so the message cannot go out. Never
 * retried. The `reason` lets whoever records the failure tell the team (e.g. "configure a template,
 * or ask the client to write first").
 */
export class WhatsAppWindowClosedError extends ChannelSendError {
  override readonly reason = 'window_closed';
  constructor(lastInboundAt: number | undefined, now: number, options?: { cause?: unknown }) {
    const since =
      lastInboundAt === undefined
        ? 'the client has never written to this number'
        : `the client last wrote ${Math.floor((now - lastInboundAt) / 3_600_000)} hours ago`;
    super(
      `Not sent: WhatsApp's 24-hour customer-service window is closed (${since}) and no approved message template is configured. ` +
        'Set WHATSAPP_TEMPLATE_NAME (and WHATSAPP_TEMPLATE_LANGUAGE) to a template approved in WhatsApp Manager, or wait for the client to write again.',
      'whatsapp',
      false,
      undefined,
      options,
    );
  }
}

/** A media file larger than the caller accepts; the download stops as soon as the limit is passed. */
export class MediaTooLargeError extends SwitchboardError {
  readonly code = 'media_too_large';
  override readonly status = 413;
  constructor(readonly maxBytes: number, readonly sizeBytes?: number) {
    super(
      sizeBytes === undefined
        ? `The media file is larger than the limit of ${maxBytes} bytes.`
        : `The media file is ${sizeBytes} bytes, larger than the limit of ${maxBytes} bytes.`,
    );
  }
}

/** Graph's error body: `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

/** Builds the error for a Graph answer that was not 2xx. */
export function graphError(httpStatus: number, body: GraphErrorBody | undefined, retryAfterHeader: string | null, now: number): WhatsAppApiError {
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const retryable = httpStatus === 429 || httpStatus >= 500 || (code !== undefined && RETRYABLE_CODES.has(code));
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const text = [body?.message ?? `HTTP ${httpStatus}`, body?.error_data?.details].filter(Boolean).join(' — ');
  return new WhatsAppApiError(`WhatsApp Cloud API refused the request (HTTP ${httpStatus}${code !== undefined ? `, code ${code}` : ''}): ${maskNumbers(text)}`, {
    httpStatus,
    ...(code !== undefined ? { graphCode: code } : {}),
    ...(typeof body?.error_subcode === 'number' ? { graphSubcode: body.error_subcode } : {}),
    ...(body?.fbtrace_id ? { fbtraceId: body.fbtrace_id } : {}),
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** `Retry-After` as seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Graph error texts may quote the recipient's number; keep only its last digits (error codes are at most 6 digits). */
export function maskNumbers(text: string): string {
  return text.replace(/\+?\d{7,}/g, (digits) => maskPhone(digits));
}

/** The channel was created without a credential it cannot work without. */
export class WhatsAppSetupError extends SwitchboardError {
  readonly code = 'whatsapp_not_configured';
}
