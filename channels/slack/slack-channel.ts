import { webApi } from '@slack/bolt';
import type { Config } from '../../config/index.js';
import { BadRequestError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type {
  ChannelAdapter,
  ChannelDeps,
  FetchedMedia,
  InboundHandler,
  ParsedRequest,
  RawRequest,
  SentReceipt,
  WebhookRoute,
} from '../channel-port.js';
import type { OutboundMessage, VoiceAttachment } from '../message.js';
import { parseSlashCommand } from './slack-commands.js';
import { platformErrorCode, SLACK_AUTH_ERRORS, SlackAuthError, toChannelSendError } from './slack-errors.js';
import { isDirect, parseSlackEvent } from './slack-events.js';
import { renderSlackMessage } from './slack-format.js';
import { parseSlackInteraction } from './slack-interactivity.js';
import { downloadSlackFile } from './slack-media.js';
import { SlackSdkLogger } from './slack-sdk-logger.js';
import { SlackSocketMode, socketPayloadKind } from './slack-socket-mode.js';
import { SlackThreads } from './slack-threads.js';
import { header, verifySlackSignature } from './verify-slack-signature.js';

export type SlackSettings = NonNullable<Config['slack']>;

/** The webhook paths (DESIGN.md, public contract). */
export const SLACK_WEBHOOK_PATHS = {
  events: '/webhooks/slack/events',
  commands: '/webhooks/slack/commands',
  interactivity: '/webhooks/slack/interactivity',
} as const;

export interface SlackChannelOptions {
  /** Time limit of one Web API call. Default 10 s: a hung call must not hold the conversation's lock. */
  apiTimeoutMs?: number;
}

/** Who the bot is on Slack, from `auth.test`. */
export interface SlackIdentity {
  userId: string;
  botId: string | undefined;
  teamId: string | undefined;
}

/**
 * The Slack channel: the Events API, slash commands and button clicks in (by webhook, or by Socket
 * Mode when SLACK_APP_TOKEN is set), `chat.postMessage` out, with the real `@slack/web-api` client
 * pointed at SLACK_API_URL.
 *
 * @example
 * const service = await startService({ config, logger, channels: (deps) => (config.slack ? [createSlackChannel(config.slack, deps)] : []) });
 */
export function createSlackChannel(settings: SlackSettings, deps: ChannelDeps, options: SlackChannelOptions = {}): SlackChannel {
  return new SlackChannel(settings, deps, options);
}

/**
 * Transport only (STYLE.md): verify, parse into `InboundMessage`, acknowledge, send. What the bot says
 * is decided past the pipeline; the adapter never answers a person itself, except the slash-command
 * acknowledgement Slack requires within 3 s.
 */
export class SlackChannel implements ChannelAdapter {
  readonly name = 'slack';
  private readonly client: webApi.WebClient;
  private readonly threads: SlackThreads;
  private readonly logger: Logger;
  private identity: SlackIdentity | undefined;
  private socket: SlackSocketMode | undefined;
  private identifying: Promise<void> | undefined;
  private lastIdentifyAt = 0;

  constructor(
    private readonly settings: SlackSettings,
    private readonly deps: ChannelDeps,
    options: SlackChannelOptions = {},
  ) {
    this.logger = deps.logger.child({ channel: 'slack' });
    this.threads = new SlackThreads({ clock: deps.clock });
    this.client = new webApi.WebClient(settings.botToken, {
      slackApiUrl: settings.apiUrl ?? 'https://slack.com/api/',
      logger: new SlackSdkLogger(this.logger),
      // The pipeline owns retries (exponential backoff honouring Retry-After, then a recorded failure).
      // The client's default (10 retries over ~30 minutes) would hold the conversation's lock far past
      // its TTL, multiply attempts, and hide failures from the messages table; so it never retries, and
      // a 429 is rejected at once with its Retry-After instead of being waited out inside the client.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.apiTimeoutMs ?? 10_000,
      // Method names only: the token is never sent to an absolute URL through this client.
      allowAbsoluteUrls: false,
    });
  }

  // --- lifecycle ---

  async start(handler: InboundHandler): Promise<void> {
    this.lastIdentifyAt = this.deps.clock.now();
    await this.identify();
    if (this.settings.appToken) {
      this.socket = new SlackSocketMode({
        appToken: this.settings.appToken,
        apiUrl: this.settings.apiUrl,
        logger: this.logger,
        clock: this.deps.clock,
        parse: (body) => this.parseSocketPayload(body),
        handler,
      });
      await this.socket.start();
    }
  }

  async stop(): Promise<void> {
    await this.socket?.stop();
    this.socket = undefined;
  }

  /** Who the bot is; undefined until `auth.test` has answered. */
  get self(): SlackIdentity | undefined {
    return this.identity;
  }

  /**
   * `auth.test`: the bot's user id (to read mentions and skip its own messages). A refused token stops
   * the start with a clear error; an unreachable Slack does not (mentions are then read with the bot
   * user named in each event's authorizations) and is asked again in the background as events arrive.
   */
  private async identify(): Promise<SlackIdentity | undefined> {
    if (this.identity) return this.identity;
    try {
      const result = await this.client.auth.test();
      if (!result.user_id) throw new Error('auth.test answered without a user_id');
      this.identity = { userId: result.user_id, botId: result.bot_id, teamId: result.team_id };
      this.logger.info({ botUserId: result.user_id, team: result.team }, 'Slack connected');
      return this.identity;
    } catch (error) {
      const code = platformErrorCode(error);
      if (code && SLACK_AUTH_ERRORS.has(code)) throw new SlackAuthError(code, { cause: error });
      this.logger.warn({ err: error }, 'Slack auth.test failed; continuing, and asking again later');
      return undefined;
    }
  }

  /**
   * Asks auth.test again, at most once a minute and never on the request's path: Slack wants an
   * answer within 3 s, and the event's own authorizations name the bot user meanwhile.
   */
  private identifyInBackground(): void {
    const now = this.deps.clock.now();
    if (this.identifying || now - this.lastIdentifyAt < 60_000) return;
    this.lastIdentifyAt = now;
    this.identifying = this.identify()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Slack auth.test failed again'))
      .then(() => undefined)
      .finally(() => {
        this.identifying = undefined;
      });
  }

  // --- receiving: webhooks ---

  webhooks(): WebhookRoute[] {
    return [
      { method: 'POST', path: SLACK_WEBHOOK_PATHS.events, verifyAndParse: (request) => this.onEvents(request) },
      { method: 'POST', path: SLACK_WEBHOOK_PATHS.commands, verifyAndParse: (request) => this.onCommand(request) },
      { method: 'POST', path: SLACK_WEBHOOK_PATHS.interactivity, verifyAndParse: (request) => this.onInteraction(request) },
    ];
  }

  private async onEvents(request: RawRequest): Promise<ParsedRequest> {
    this.verify(request);
    const retryNum = header(request.headers, 'x-slack-retry-num');
    if (retryNum) {
      this.logger.info({ retryNum, retryReason: header(request.headers, 'x-slack-retry-reason') }, 'Slack sent an event again');
    }
    if (!this.identity) this.identifyInBackground();
    return this.fromEvents(parseJson(request.rawBody));
  }

  private async onCommand(request: RawRequest): Promise<ParsedRequest> {
    this.verify(request);
    return this.fromCommand(parseForm(request, 'slash command'));
  }

  private async onInteraction(request: RawRequest): Promise<ParsedRequest> {
    this.verify(request);
    const payload = parseForm(request, 'interaction').payload;
    if (typeof payload !== 'string' || !payload) throw new BadRequestError('A Slack interaction carries its JSON in the form field "payload".');
    return this.fromInteraction(parseJson(Buffer.from(payload, 'utf8')));
  }

  private verify(request: RawRequest): void {
    verifySlackSignature({ signingSecret: this.settings.signingSecret, headers: request.headers, rawBody: request.rawBody, nowMs: this.deps.clock.now() });
  }

  // --- receiving: the mapping shared by webhooks and Socket Mode ---

  private fromEvents(body: unknown): ParsedRequest {
    const outcome = parseSlackEvent(body, {
      botUserId: this.identity?.userId,
      botId: this.identity?.botId,
      threads: this.threads,
      now: this.deps.clock.now(),
    });
    if (outcome.kind !== 'challenge' && outcome.join) this.threads.remember(outcome.join.channel, outcome.join.thread);
    switch (outcome.kind) {
      case 'challenge':
        return { kind: 'response', response: { status: 200, contentType: 'text/plain; charset=utf-8', body: outcome.challenge } };
      case 'ignored':
        this.logger.debug({ reason: outcome.reason }, 'Slack event acknowledged and ignored');
        return { kind: 'response', response: { status: 200 } };
      case 'message':
        return { kind: 'messages', messages: [outcome.message], ack: { status: 200 } };
    }
  }

  private fromCommand(fields: Record<string, unknown>): ParsedRequest {
    return parseSlashCommand(fields, this.deps.clock.now());
  }

  private fromInteraction(payload: unknown): ParsedRequest {
    const outcome = parseSlackInteraction(payload, this.deps.clock.now());
    if (outcome.kind === 'ignored') {
      this.logger.debug({ reason: outcome.reason }, 'Slack interaction acknowledged and ignored');
      return { kind: 'response', response: { status: 200 } };
    }
    return { kind: 'messages', messages: [outcome.message], ack: { status: 200 } };
  }

  /**
   * A Socket Mode envelope's payload (an Events API envelope, a slash command, or an interaction),
   * read by the same mapping as the webhooks. Socket Mode needs no signature: the socket was opened
   * by the app with its app-level token.
   */
  parseSocketPayload(body: Record<string, unknown>): ParsedRequest {
    switch (socketPayloadKind(body)) {
      case 'command':
        return this.fromCommand(body);
      case 'events':
        return this.fromEvents(body);
      case 'interaction':
        return this.fromInteraction(body);
    }
  }

  // --- sending ---

  /**
   * `chat.postMessage` in the conversation's thread, bounded by `apiTimeoutMs`. Failures become
   * `ChannelSendError`s: 429, 5xx and refused connections are retryable (the outbox backs off,
   * honouring Retry-After); a timed-out call has an unknown outcome and is not repeated (Slack's
   * chat.postMessage takes no idempotency key, so a repeat could post the reply twice); the rest fail.
   */
  async send(message: OutboundMessage): Promise<SentReceipt> {
    const body = renderSlackMessage(message);
    let ts: string | undefined;
    try {
      const result = await this.client.chat.postMessage({
        channel: message.conversation,
        ...(message.thread ? { thread_ts: message.thread } : {}),
        text: body.text,
        mrkdwn: body.mrkdwn,
        ...(body.blocks ? { blocks: body.blocks as webApi.KnownBlock[] } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      ts = result.ts;
    } catch (error) {
      throw toChannelSendError(error);
    }
    // Replies to the bot's message (or in the thread it answered in) are for the bot.
    if (!isDirect(message.conversation, undefined)) {
      const thread = message.thread ?? ts;
      if (thread) this.threads.remember(message.conversation, thread);
    }
    return ts ? { platformMessageId: ts } : {};
  }

  /** A voice note's bytes: `files.info`, then `url_private` with the bot token. */
  fetchMedia(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia> {
    return downloadSlackFile({ client: this.client, botToken: this.settings.botToken, apiUrl: this.settings.apiUrl, attachment, maxBytes: options.maxBytes });
  }
}

// --- request bodies ---

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestError('The body is not valid JSON.');
  }
}

/** Slack sends slash commands and interactions as application/x-www-form-urlencoded. */
function parseForm(request: RawRequest, what: string): Record<string, string> {
  const type = header(request.headers, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError(`Slack sends a ${what} as application/x-www-form-urlencoded, not ${type || 'an untyped body'}.`);
  }
  return Object.fromEntries(new URLSearchParams(request.rawBody.toString('utf8')));
}
