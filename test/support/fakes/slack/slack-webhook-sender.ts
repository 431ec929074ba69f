import { createHmac } from 'node:crypto';
import { FAKE_SLACK_SIGNING_SECRET } from './slack-fake.js';
import { eventCallback } from './slack-payloads.js';

/**
 * Sends requests to the service as Slack does: the body exactly as Slack encodes it (JSON for the
 * Events API; form-encoded for slash commands and, with the JSON in the field `payload`, for
 * interactivity), signed with `X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")` and
 * `X-Slack-Request-Timestamp`, and with `X-Slack-Retry-Num`/`X-Slack-Retry-Reason` on a retry.
 * The HMAC is computed here, independently of the adapter's own code.
 *
 * @example
 * const slack = new SlackWebhookSender(service.url);
 * const answer = await slack.event(messageEvent({ channel: 'D1', user: 'U1', text: 'hello' }));
 * expect(answer.status).toBe(200);
 */
export interface SignOptions {
  /** Unix seconds to sign with; default now. */
  timestamp?: number;
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Send this signature instead of the computed one. */
  signature?: string | null;
  /** A retry: X-Slack-Retry-Num and X-Slack-Retry-Reason. */
  retryNum?: number;
  retryReason?: string;
  contentType?: string;
}

export interface WebhookAnswer {
  status: number;
  contentType: string | null;
  text: string;
  json(): any;
}

export class SlackWebhookSender {
  constructor(
    private readonly serviceUrl: string,
    private readonly signingSecret: string = FAKE_SLACK_SIGNING_SECRET,
    private readonly botUserId?: string,
  ) {}

  /** An inner event, wrapped in `event_callback`, to /webhooks/slack/events. */
  event(event: Record<string, unknown>, options: SignOptions = {}): Promise<WebhookAnswer> {
    return this.envelope(eventCallback(event, this.botUserId ? { botUserId: this.botUserId } : {}), options);
  }

  /** A whole Events API body (an envelope, a url_verification) to /webhooks/slack/events. */
  envelope(body: Record<string, unknown>, options: SignOptions = {}): Promise<WebhookAnswer> {
    return this.post('/webhooks/slack/events', JSON.stringify(body), { contentType: 'application/json', ...options });
  }

  /** A slash command's form to /webhooks/slack/commands. */
  command(fields: Record<string, string>, options: SignOptions = {}): Promise<WebhookAnswer> {
    return this.post('/webhooks/slack/commands', new URLSearchParams(fields).toString(), { contentType: 'application/x-www-form-urlencoded', ...options });
  }

  /** An interaction payload to /webhooks/slack/interactivity, as the form field `payload`. */
  interaction(payload: Record<string, unknown>, options: SignOptions = {}): Promise<WebhookAnswer> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post('/webhooks/slack/interactivity', body, { contentType: 'application/x-www-form-urlencoded', ...options });
  }

  /** Any body to any path, signed (unless told otherwise) like Slack signs. */
  async post(path: string, body: string, options: SignOptions & { contentType: string }): Promise<WebhookAnswer> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature =
      options.signature === undefined
        ? `v0=${createHmac('sha256', options.secret ?? this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`
        : options.signature;
    const headers: Record<string, string> = {
      'content-type': options.contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': timestamp,
      ...(signature !== null ? { 'x-slack-signature': signature } : {}),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': options.retryReason ?? 'http_timeout' } : {}),
    };
    const response = await fetch(`${this.serviceUrl}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text, json: () => JSON.parse(text) };
  }
}
