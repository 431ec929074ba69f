import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../core/errors.js';
import type { TimerHandle } from '../../core/clock.js';
import type { ChannelDeps, ParsedRequest, RawRequest, WebhookRoute } from '../channel-port.js';
import { parseNotification, type DeliveryStatusUpdate } from './whatsapp-payload.js';
import { secretsEqual, SIGNATURE_HEADER, verifyWebhookSignature } from './whatsapp-signature.js';

/** The public webhook path (DESIGN.md, "Public contract"): GET for Meta's handshake, POST for notifications. */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

export interface WhatsAppWebhookOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  deps: ChannelDeps;
  /**
   * A status can arrive before the send that produced its wamid has been recorded (Meta is fast);
   * it is then recorded again after these delays. Default 1 s, 5 s, 30 s.
   */
  statusRetryDelaysMs?: readonly number[];
}

/**
 * Meta's side of the WhatsApp channel: the verification handshake and signed notifications.
 * Transport only: it verifies, parses and acknowledges; what the bot answers is decided elsewhere.
 */
export class WhatsAppWebhook {
  private stopped = false;
  private readonly timers = new Set<TimerHandle>();

  constructor(private readonly options: WhatsAppWebhookOptions) {}

  routes(): WebhookRoute[] {
    return [
      { method: 'GET', path: WHATSAPP_WEBHOOK_PATH, verifyAndParse: async (request) => this.handshake(request) },
      { method: 'POST', path: WHATSAPP_WEBHOOK_PATH, verifyAndParse: (request) => this.notification(request) },
    ];
  }

  /** Stops retrying statuses that had no message yet. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) this.options.deps.clock.clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: Meta checks that the callback URL
   * is ours. The token is compared in constant time; the challenge is echoed as plain text.
   */
  handshake(request: RawRequest): ParsedRequest {
    const mode = first(request.query['hub.mode']);
    const token = first(request.query['hub.verify_token']);
    const challenge = first(request.query['hub.challenge']);
    if (!mode || !token || !challenge) {
      throw new BadRequestError('The WhatsApp verification request needs hub.mode, hub.verify_token and hub.challenge.');
    }
    if (mode !== 'subscribe') throw new BadRequestError('hub.mode must be "subscribe".');
    if (!secretsEqual(token, this.options.verifyToken)) {
      throw new ForbiddenError('The verify token does not match WHATSAPP_VERIFY_TOKEN.');
    }
    // Meta's challenges are short tokens (digits); refusing anything else keeps this from echoing markup.
    if (!/^[A-Za-z0-9._~-]{1,256}$/.test(challenge)) throw new BadRequestError('hub.challenge is not a valid challenge.');
    return { kind: 'response', response: { status: 200, body: challenge, contentType: 'text/plain; charset=utf-8' } };
  }

  /**
   * `POST` with `X-Hub-Signature-256`: the signature is checked over the raw bytes before anything
   * is parsed (401 without a valid one), then the body must be a WhatsApp notification (400).
   * Statuses are recorded before answering; messages are handed to the pipeline by the server,
   * which stores each one before this acknowledgement goes out.
   */
  async notification(request: RawRequest): Promise<ParsedRequest> {
    const { deps } = this.options;
    if (!verifyWebhookSignature(request.rawBody, request.headers[SIGNATURE_HEADER], this.options.appSecret)) {
      throw new UnauthorizedError('Missing or invalid X-Hub-Signature-256: this request was not signed with the WhatsApp App Secret.');
    }
    let json: unknown;
    try {
      json = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new BadRequestError('The body is not valid JSON.');
    }
    const parsed = parseNotification(json, { phoneNumberId: this.options.phoneNumberId, receivedAt: deps.clock.now() });
    if (parsed.skipped.length) deps.logger.debug({ skipped: parsed.skipped }, 'whatsapp: parts of a notification left out');
    for (const error of parsed.errors) deps.logger.warn({ whatsappError: error }, `whatsapp reports an error: ${error.title ?? error.message ?? error.code}`);
    for (const status of parsed.statuses) await this.recordStatus(status);
    if (parsed.messages.length === 0) return { kind: 'response', response: { status: 200, body: 'EVENT_RECEIVED', contentType: 'text/plain; charset=utf-8' } };
    return { kind: 'messages', messages: parsed.messages, ack: { status: 200, body: 'EVENT_RECEIVED', contentType: 'text/plain; charset=utf-8' } };
  }

  private async recordStatus(update: DeliveryStatusUpdate): Promise<void> {
    const recorded = await this.options.deps.recordDeliveryStatus('whatsapp', update.platformMessageId, update.status, update.detail);
    if (!recorded) this.retryStatusLater(update, 0);
  }

  private retryStatusLater(update: DeliveryStatusUpdate, attempt: number): void {
    const { deps } = this.options;
    const delay = (this.options.statusRetryDelaysMs ?? [1_000, 5_000, 30_000])[attempt];
    if (delay === undefined || this.stopped) {
      // Statuses of messages this service never sent (another app on the same number) end here.
      deps.logger.debug({ status: update.status }, 'whatsapp: a delivery status matched no message we sent');
      return;
    }
    const timer = deps.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      deps
        .recordDeliveryStatus('whatsapp', update.platformMessageId, update.status, update.detail)
        .then((recorded) => {
          if (!recorded) this.retryStatusLater(update, attempt + 1);
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'whatsapp: recording a delivery status failed'));
    }, delay);
    this.timers.add(timer);
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
