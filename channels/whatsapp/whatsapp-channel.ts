import type { Config } from '../../config/index.js';
import { maskPhone } from '../../core/redact.js';
import { ChannelSendError, type ChannelAdapter, type ChannelDeps, type FetchedMedia, type InboundHandler, type SentReceipt, type WebhookRoute } from '../channel-port.js';
import type { OutboundMessage, VoiceAttachment } from '../message.js';
import { isWindowOpen } from './customer-service-window.js';
import { WhatsAppApiError, WhatsAppSetupError, WhatsAppWindowClosedError } from './whatsapp-errors.js';
import { buildMessageRequests, buildTemplateRequest } from './whatsapp-format.js';
import { WhatsAppGraphClient } from './whatsapp-graph-client.js';
import { WhatsAppWebhook } from './whatsapp-webhook.js';

export type WhatsAppSettings = NonNullable<Config['whatsapp']>;

/** How many half-delivered multi-part replies are remembered between retries. */
const MAX_TRACKED_REPLIES = 500;

/**
 * The WhatsApp Cloud API channel: the agency's clients write to its WhatsApp Business number.
 * Receives by webhook (`/webhooks/whatsapp`), sends through the Graph API.
 *
 * - Inbound: Meta's handshake; notifications verified with `X-Hub-Signature-256` over the raw body;
 *   messages, button taps and voice notes parsed into InboundMessage; delivery statuses recorded.
 * - Outbound: text (split over 4,096 characters), reply buttons, and the 24-hour rule: outside the
 *   client's customer-service window only the configured approved template is sent, and without
 *   one the send fails with WhatsAppWindowClosedError (never retried).
 * - Media: the two-step download (media id → short-lived URL → bytes), bounded by `maxBytes`.
 *
 * @example
 * const service = await startService({
 *   config, logger,
 *   channels: (deps) => (config.whatsapp ? [createWhatsAppChannel(config.whatsapp, deps)] : []),
 * });
 */
export function createWhatsAppChannel(settings: WhatsAppSettings, deps: ChannelDeps, options: WhatsAppChannelOptions = {}): WhatsAppChannel {
  return new WhatsAppChannel(settings, deps, options);
}

export interface WhatsAppChannelOptions {
  /** Time limit of one Graph API call. Default 20 s; a send that runs out has an unknown outcome and is not repeated. */
  apiTimeoutMs?: number;
}

export class WhatsAppChannel implements ChannelAdapter {
  readonly name = 'whatsapp' as const;
  private readonly graph: WhatsAppGraphClient;
  private readonly webhook: WhatsAppWebhook;
  /** Parts of a long reply already delivered, by our message id, so a retry sends only the rest. */
  private readonly delivered = new Map<string, string[]>();

  constructor(
    private readonly settings: WhatsAppSettings,
    private readonly deps: ChannelDeps,
    options: WhatsAppChannelOptions = {},
  ) {
    // Without the App Secret nobody could tell Meta's notifications from forged ones: refuse to start.
    const missing = (['appSecret', 'accessToken', 'verifyToken', 'phoneNumberId'] as const).filter((key) => !settings[key]);
    if (missing.length) {
      const names = { appSecret: 'WHATSAPP_APP_SECRET', accessToken: 'WHATSAPP_ACCESS_TOKEN', verifyToken: 'WHATSAPP_VERIFY_TOKEN', phoneNumberId: 'WHATSAPP_PHONE_NUMBER_ID' };
      throw new WhatsAppSetupError(`The WhatsApp channel cannot start without ${missing.map((k) => names[k]).join(', ')}.`);
    }
    this.graph = new WhatsAppGraphClient({
      graphUrl: settings.graphUrl,
      apiVersion: settings.apiVersion,
      accessToken: settings.accessToken,
      phoneNumberId: settings.phoneNumberId,
      clock: deps.clock,
      ...(options.apiTimeoutMs !== undefined ? { timeoutMs: options.apiTimeoutMs } : {}),
    });
    this.webhook = new WhatsAppWebhook({ appSecret: settings.appSecret, verifyToken: settings.verifyToken, phoneNumberId: settings.phoneNumberId, deps });
  }

  /** Messages arrive through `webhooks()`, which the HTTP server hands to the pipeline. */
  async start(_handler: InboundHandler): Promise<void> {}

  async stop(): Promise<void> {
    await this.webhook.stop();
  }

  webhooks(): WebhookRoute[] {
    return this.webhook.routes();
  }

  async send(message: OutboundMessage): Promise<SentReceipt> {
    const to = message.conversation;
    const lastInboundAt = message.lastInboundAt ?? (await this.deps.lastInboundAt('whatsapp', to));
    const now = this.deps.clock.now();
    if (!isWindowOpen(lastInboundAt, now)) return this.sendTemplate(message, lastInboundAt, now);
    try {
      return await this.sendInWindow(message);
    } catch (error) {
      // Our clock and Meta's may disagree about the window's end: Meta's word (131047) wins.
      if (error instanceof WhatsAppApiError && error.isReEngagement) return this.sendTemplate(message, lastInboundAt, now, error);
      throw toSendError(error);
    }
  }

  /** Downloads a voice note: `GET /{version}/{media-id}` for its URL, then the URL, both with the token. */
  async fetchMedia(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia> {
    const info = await this.graph.mediaInfo(attachment.fileRef);
    const bytes = await this.graph.download(info, options.maxBytes);
    const declaredMimeType = info.mime_type ?? attachment.declaredMimeType;
    return { bytes, ...(declaredMimeType ? { declaredMimeType } : {}) };
  }

  private async sendInWindow(message: OutboundMessage): Promise<SentReceipt> {
    const requests = buildMessageRequests(message.conversation, message);
    const done = this.delivered.get(message.id) ?? [];
    for (const request of requests.slice(done.length)) {
      done.push(await this.graph.sendMessage(request));
      this.track(message.id, done);
    }
    this.delivered.delete(message.id);
    if (requests.length > 1) this.deps.logger.debug({ to: maskPhone(message.conversation), parts: requests.length }, 'whatsapp: reply sent in parts');
    // Statuses are recorded against one wamid: the last part, which carries the buttons if any.
    const last = done.at(-1);
    return last ? { platformMessageId: last } : {};
  }

  private async sendTemplate(message: OutboundMessage, lastInboundAt: number | undefined, now: number, cause?: unknown): Promise<SentReceipt> {
    const template = this.settings.template;
    if (!template) throw new WhatsAppWindowClosedError(lastInboundAt, now, cause === undefined ? undefined : { cause });
    try {
      const wamid = await this.graph.sendMessage(buildTemplateRequest(message.conversation, template, message.text));
      this.deps.logger.info(
        { to: maskPhone(message.conversation), template: template.name, messageId: message.id },
        'whatsapp: outside the 24-hour window, sent the approved template instead',
      );
      return { platformMessageId: wamid };
    } catch (error) {
      throw toSendError(error);
    }
  }

  private track(id: string, done: string[]): void {
    this.delivered.set(id, done);
    if (this.delivered.size > MAX_TRACKED_REPLIES) this.delivered.delete(this.delivered.keys().next().value!);
  }
}

/**
 * 429, rate-limit codes, 5xx and refused connections are retried by the outbox; a send left without an
 * answer (timeout) has an unknown outcome and is not repeated; other refusals are final.
 */
function toSendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (error instanceof WhatsAppApiError) {
    return new ChannelSendError(error.message, 'whatsapp', error.details.retryable, error.details.retryAfterMs, {
      cause: error,
      ...(error.details.outcomeUnknown ? { outcomeUnknown: true } : {}),
    });
  }
  return new ChannelSendError(`WhatsApp send failed: ${error instanceof Error ? error.message : String(error)}`, 'whatsapp', false, undefined, { cause: error });
}
