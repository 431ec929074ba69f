import { randomUUID } from 'node:crypto';
import { SwitchboardError } from '../../core/errors.js';
import type { ChannelAdapter, FetchedMedia, InboundHandler, SentReceipt } from '../channel-port.js';
import type { OutboundMessage, VoiceAttachment } from '../message.js';

/** Voice notes recorded in the page wait here until their turn has read them. */
const UPLOAD_TTL_MS = 10 * 60_000;

export class WebchatUploadMissingError extends SwitchboardError {
  readonly code = 'webchat_upload_missing';
  constructor() {
    super('That recording is no longer available; please record it again.');
  }
}

/** A recording larger than the caller accepts (the channel port's `media_too_large`). */
export class WebchatUploadTooLargeError extends SwitchboardError {
  readonly code = 'media_too_large';
  override readonly status = 413;
  constructor(readonly maxBytes: number) {
    super(`The recording is larger than the limit of ${maxBytes} bytes.`);
  }
}

/** Where the web chat channel publishes what it sends; every instance's event streams listen here. */
export interface WebchatPublisher {
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>>;
}

export function webchatTopic(conversation: string): string {
  return `webchat:${conversation}`;
}

/**
 * The built-in web chat. Inbound messages arrive over HTTP (see webchat-routes.ts) and get their
 * replies in the response; `send` also publishes every outbound message on the hot tier's pub/sub,
 * so the page's event stream receives proactive messages (reminders) on whichever instance it is
 * connected to. The page de-duplicates by message id.
 */
export class WebchatChannel implements ChannelAdapter {
  readonly name = 'webchat';
  private handler: InboundHandler | undefined;
  private readonly uploads = new Map<string, { bytes: Buffer; mimeType: string; storedAt: number }>();

  constructor(private readonly bus: WebchatPublisher) {}

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  /** The handler the routes hand inbound messages to. */
  inbound(): InboundHandler {
    if (!this.handler) throw new Error('the web chat channel has not been started');
    return this.handler;
  }

  /**
   * Keeps a recording uploaded by the page for the turn that handles it. The upload and its turn run
   * in the same request on the same instance, so process memory is enough.
   */
  storeUpload(bytes: Buffer, mimeType: string, now = Date.now()): string {
    for (const [ref, upload] of this.uploads) if (now - upload.storedAt > UPLOAD_TTL_MS) this.uploads.delete(ref);
    const ref = `upload-${randomUUID()}`;
    this.uploads.set(ref, { bytes, mimeType, storedAt: now });
    return ref;
  }

  async fetchMedia(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia> {
    const upload = this.uploads.get(attachment.fileRef);
    if (!upload) throw new WebchatUploadMissingError();
    this.uploads.delete(attachment.fileRef);
    // The route's body limit already bounds uploads; the port's contract is kept for any caller's limit.
    if (upload.bytes.length > options.maxBytes) throw new WebchatUploadTooLargeError(options.maxBytes);
    return { bytes: upload.bytes, declaredMimeType: upload.mimeType };
  }

  async send(message: OutboundMessage): Promise<SentReceipt> {
    await this.bus.publish(webchatTopic(message.conversation), JSON.stringify(message));
    return {};
  }

  subscribe(conversation: string, listener: (message: OutboundMessage) => void): Promise<() => Promise<void>> {
    return this.bus.subscribe(webchatTopic(conversation), (raw) => listener(JSON.parse(raw) as OutboundMessage));
  }
}
