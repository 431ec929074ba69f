import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_WHATSAPP } from './whatsapp-graph-fake.js';

/**
 * Meta's side of the webhook: notifications shaped like the Cloud API's (the values are those of
 * Meta's own examples), the body serialised the way Meta serialises it (non-ASCII as \uXXXX, `/` as
 * `\/`), signed with the App Secret in `X-Hub-Signature-256`, POSTed to the service; and the GET
 * verification handshake.
 *
 * @example
 * const meta = new MetaWebhookClient(service.url);
 * expect((await meta.handshake()).body).toBe(DEFAULT_CHALLENGE);
 * await meta.deliver(inbound.text(SAMPLE_USER, 'hello'));
 */

/** The WhatsApp user of Meta's examples. */
export const SAMPLE_USER = { waId: '16505551234', name: 'Sheena Nelson' } as const;
export const DEFAULT_CHALLENGE = '1158201444';

export interface Sender {
  waId: string;
  name?: string;
}

type Json = Record<string, unknown>;

/** A wamid as Meta makes them: `wamid.` and base64. */
export function newWamid(): string {
  return `wamid.${Buffer.concat([Buffer.from('HBgLMTY1MDU1NTEyMzQVAgASGBQz'), randomBytes(16)]).toString('base64')}`;
}

/** JSON as Meta's servers write it: `/` escaped and everything outside ASCII as \uXXXX. */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function signMetaPayload(raw: string | Buffer, appSecret: string = FAKE_WHATSAPP.appSecret): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** `{"object":"whatsapp_business_account","entry":[{"id","changes":[{"value":{…},"field":"messages"}]}]}` */
export function notification(value: Json, options: { phoneNumberId?: string } = {}): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: FAKE_WHATSAPP.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: FAKE_WHATSAPP.displayPhoneNumber, phone_number_id: options.phoneNumberId ?? FAKE_WHATSAPP.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** One message from `from`, with its contact (profile name and wa_id) as Meta sends it. */
export function messageNotification(from: Sender, message: Json, options: { id?: string; timestamp?: number } = {}): Json {
  return notification({
    contacts: [{ profile: { name: from.name ?? 'WhatsApp user' }, wa_id: from.waId }],
    messages: [
      {
        from: from.waId,
        id: options.id ?? newWamid(),
        timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
        ...message,
      },
    ],
  });
}

/** The message types of Meta's "messages webhook" reference. */
export const inbound = {
  text: (from: Sender, body: string, options: { id?: string; forwarded?: boolean } = {}) =>
    messageNotification(from, { ...(options.forwarded ? { context: { forwarded: true } } : {}), text: { body }, type: 'text' }, options),
  /** A voice note (`voice: true`) or an audio file. */
  audio: (from: Sender, media: { mediaId: string; mimeType?: string; sha256?: string; voice?: boolean }, options: { id?: string } = {}) =>
    messageNotification(
      from,
      {
        type: 'audio',
        audio: {
          mime_type: media.mimeType ?? 'audio/ogg; codecs=opus',
          sha256: media.sha256 ?? '5UPVH1mVYnKX3X0TNdAdWrPrTWaSCylrwKBJY+vmbKY=',
          id: media.mediaId,
          voice: media.voice ?? true,
        },
      },
      options,
    ),
  /** A tap on an interactive reply button we sent. */
  buttonReply: (from: Sender, button: { id: string; title: string }, options: { id?: string; context?: string } = {}) =>
    messageNotification(
      from,
      {
        context: { from: FAKE_WHATSAPP.displayPhoneNumber, id: options.context ?? newWamid() },
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: button },
      },
      options,
    ),
  listReply: (from: Sender, row: { id: string; title: string; description?: string }, options: { id?: string } = {}) =>
    messageNotification(
      from,
      { context: { from: FAKE_WHATSAPP.displayPhoneNumber, id: newWamid() }, type: 'interactive', interactive: { type: 'list_reply', list_reply: row } },
      options,
    ),
  /** A tap on a quick-reply button of a template. */
  templateButton: (from: Sender, button: { payload: string; text: string }, options: { id?: string } = {}) =>
    messageNotification(from, { context: { from: FAKE_WHATSAPP.displayPhoneNumber, id: newWamid() }, type: 'button', button }, options),
  image: (from: Sender, image: { mediaId: string; caption?: string }, options: { id?: string } = {}) =>
    messageNotification(
      from,
      { type: 'image', image: { ...(image.caption ? { caption: image.caption } : {}), mime_type: 'image/jpeg', sha256: 'c2hhMjU2', id: image.mediaId } },
      options,
    ),
};

export interface StatusEvent {
  /** The wamid of a message the business sent. */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipient: string;
  errors?: { code: number; title: string; message?: string; error_data?: { details: string }; href?: string }[];
}

/** `statuses[]` notifications, as Meta sends them for messages the business sent. */
export function statusNotification(...statuses: StatusEvent[]): Json {
  return notification({
    statuses: statuses.map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: s.recipient,
      ...(s.status === 'failed' ? {} : { pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' } }),
      ...(s.errors ? { errors: s.errors } : {}),
    })),
  });
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** What Meta does against the service's `/webhooks/whatsapp`. */
export class MetaWebhookClient {
  constructor(
    readonly serviceUrl: string,
    readonly secrets: { appSecret: string; verifyToken: string } = FAKE_WHATSAPP,
    readonly path = '/webhooks/whatsapp',
  ) {}

  /** The verification GET; pass `undefined` for a parameter to leave it out. */
  async handshake(params: { mode?: string | undefined; token?: string | undefined; challenge?: string | undefined } = {}): Promise<WebhookAnswer> {
    const values = { 'hub.mode': 'subscribe', 'hub.verify_token': this.secrets.verifyToken, 'hub.challenge': DEFAULT_CHALLENGE };
    const query = new URLSearchParams();
    for (const [name, key] of [['hub.mode', 'mode'], ['hub.verify_token', 'token'], ['hub.challenge', 'challenge']] as const) {
      const value = key in params ? params[key] : values[name];
      if (value !== undefined) query.set(name, value);
    }
    const response = await fetch(`${this.serviceUrl}${this.path}?${query}`);
    return { status: response.status, body: await response.text() };
  }

  /**
   * POSTs a notification. `raw` sends exactly those bytes; `signature: null` sends no signature
   * header, a string sends that header value; by default the body is signed with the App Secret.
   */
  async deliver(payload: unknown, options: { raw?: string | Buffer; signature?: string | null; appSecret?: string } = {}): Promise<WebhookAnswer> {
    const body = options.raw ?? metaJson(payload);
    const signature = options.signature === undefined ? signMetaPayload(body, options.appSecret ?? this.secrets.appSecret) : options.signature;
    const response = await fetch(`${this.serviceUrl}${this.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  }
}
