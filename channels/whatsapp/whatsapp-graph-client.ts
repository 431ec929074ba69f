import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { failedBeforeSending } from '../channel-port.js';
import { graphError, MediaTooLargeError, WhatsAppApiError, type GraphErrorBody } from './whatsapp-errors.js';
import type { OutgoingMessageRequest } from './whatsapp-format.js';

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com, or a local fake. */
  graphUrl: string;
  /** e.g. v21.0 */
  apiVersion: string;
  accessToken: string;
  phoneNumberId: string;
  clock: Clock;
  /** Per request; a platform that does not answer is treated like a 5xx (retryable). Default 20 s. */
  timeoutMs?: number;
}

/** `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid…"}]}` */
const SendResponseSchema = z
  .object({
    messaging_product: z.literal('whatsapp').optional(),
    contacts: z.array(z.object({ input: z.string().optional(), wa_id: z.string().optional() }).loose()).optional(),
    messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() }).loose()).min(1),
  })
  .loose();

/** `GET /{version}/{media-id}`: `{url, mime_type, sha256, file_size, id, messaging_product}`. */
const MediaInfoSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    mime_type: z.string().optional(),
    sha256: z.string().optional(),
    file_size: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
    id: z.string().optional(),
  })
  .loose();
export type MediaInfo = z.infer<typeof MediaInfoSchema>;

const ErrorEnvelopeSchema = z.object({ error: z.object({}).loose() }).loose();

/**
 * The few Graph API calls the WhatsApp channel makes, with the access token as a Bearer token:
 * sending a message, and the two-step media download. Every failure becomes a WhatsAppApiError that
 * says whether trying again could help.
 */
export class WhatsAppGraphClient {
  private readonly base: string;

  constructor(private readonly options: GraphClientOptions) {
    this.base = options.graphUrl.replace(/\/+$/, '');
  }

  /** `POST /{version}/{phone-number-id}/messages`; returns the message's wamid. */
  async sendMessage(body: OutgoingMessageRequest): Promise<string> {
    const url = `${this.base}/${this.options.apiVersion}/${encodeURIComponent(this.options.phoneNumberId)}/messages`;
    const response = await this.request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const parsed = SendResponseSchema.safeParse(await readJson(response));
    if (!parsed.success) {
      // Sent, most likely, but we cannot tell which wamid it got: retrying could send it twice.
      throw new WhatsAppApiError('WhatsApp Cloud API accepted the message but its answer has no message id.', { httpStatus: response.status, retryable: false, outcomeUnknown: true });
    }
    return parsed.data.messages[0]!.id;
  }

  /** Step one of a media download: `GET /{version}/{media-id}` → a short-lived URL and what the file is. */
  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    const url = `${this.base}/${this.options.apiVersion}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(this.options.phoneNumberId)}`;
    const response = await this.request(url, { method: 'GET' });
    const parsed = MediaInfoSchema.safeParse(await readJson(response));
    if (!parsed.success) throw new WhatsAppApiError('WhatsApp Cloud API answered a media lookup without a download URL.', { httpStatus: response.status, retryable: false });
    return parsed.data;
  }

  /**
   * Step two: `GET <url>` with the same Bearer token. Reads at most `maxBytes` and stops as soon as
   * the file turns out to be larger; checks the SHA-256 Meta declared, when it declared one.
   */
  async download(info: MediaInfo, maxBytes: number): Promise<Buffer> {
    // The access token goes with the download: never in clear text when the Graph API itself is spoken over TLS.
    if (new URL(info.url).protocol !== 'https:' && new URL(this.base).protocol === 'https:') {
      throw new WhatsAppApiError('Refusing to download WhatsApp media over plain HTTP: the URL Meta gave is not https.', { retryable: false });
    }
    const declared = info.file_size === undefined ? undefined : Number(info.file_size);
    if (declared !== undefined && declared > maxBytes) throw new MediaTooLargeError(maxBytes, declared);
    const response = await this.request(info.url, { method: 'GET' });
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(length) && length > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new MediaTooLargeError(maxBytes, length);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          throw new MediaTooLargeError(maxBytes);
        }
        chunks.push(value);
      }
    }
    const bytes = Buffer.concat(chunks);
    if (info.sha256 && /^[0-9a-f]{64}$/i.test(info.sha256) && createHash('sha256').update(bytes).digest('hex') !== info.sha256.toLowerCase()) {
      throw new WhatsAppApiError('The downloaded WhatsApp media does not match the checksum Meta declared.', { httpStatus: response.status, retryable: true });
    }
    return bytes;
  }

  private async request(url: string, init: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: { authorization: `Bearer ${this.options.accessToken}`, ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      // Refused before anything was sent: safe to try again. Otherwise (timeout, reset) Meta may have the
      // message; for a send the outcome is unknown (a download is simply tried again).
      const notSent = !timedOut && failedBeforeSending(error);
      throw new WhatsAppApiError(
        timedOut ? 'WhatsApp Cloud API did not answer in time.' : `Could not reach the WhatsApp Cloud API: ${error instanceof Error ? error.message : String(error)}`,
        { retryable: notSent || init.method === 'GET', ...(notSent || init.method === 'GET' ? {} : { outcomeUnknown: true }) },
        { cause: error },
      );
    }
    if (response.ok) return response;
    const body = await readJson(response).catch(() => undefined);
    const envelope = ErrorEnvelopeSchema.safeParse(body);
    throw graphError(response.status, envelope.success ? (envelope.data.error as GraphErrorBody) : undefined, response.headers.get('retry-after'), this.options.clock.now());
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
