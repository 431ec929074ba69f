import { SocketModeReceiver, type App } from '@slack/bolt';
import { sleep, type Clock } from '../../core/clock.js';
import { toSwitchboardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { InboundHandler, ParsedRequest } from '../channel-port.js';
import { SlackSdkLogger } from './slack-sdk-logger.js';

export interface SlackSocketModeOptions {
  appToken: string;
  /** The Web API base URL (apps.connections.open is called there). */
  apiUrl: string | undefined;
  logger: Logger;
  clock: Clock;
  /** The same mapping the HTTP routes use, from a Socket Mode payload to messages and an acknowledgement. */
  parse(body: Record<string, unknown>): ParsedRequest;
  handler: InboundHandler;
  /** How long to wait for a message to be handled before acknowledging anyway. Default 2 s (Slack allows 3). */
  ackWithinMs?: number;
}

/**
 * Socket Mode (SLACK_APP_TOKEN set): Slack sends events, slash commands and button clicks over a
 * WebSocket that the app opens, so no public URL is needed. Bolt's `SocketModeReceiver` keeps the
 * socket; each envelope is parsed by the same functions as the webhooks, handed to the handler, and
 * acknowledged once handled or after `ackWithinMs`, whichever comes first. The handler stores the message
 * as its first step, so by the time the deadline comes it is durable; an envelope that is not
 * acknowledged is sent again by Slack, and the pipeline's de-duplication makes that harmless.
 *
 * Bolt's `App` is not used: the receiver only needs `processEvent`, and routing stays in the bot.
 */
export class SlackSocketMode {
  private readonly receiver: SocketModeReceiver;

  constructor(private readonly options: SlackSocketModeOptions) {
    this.receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger: new SlackSdkLogger(options.logger),
      installerOptions: { clientOptions: { slackApiUrl: options.apiUrl ?? 'https://slack.com/api/' } },
    });
    // The receiver calls `app.processEvent(event)` for every envelope; that is all of App it uses.
    this.receiver.init({ processEvent: (event: SocketEvent) => this.process(event) } as unknown as App);
  }

  async start(): Promise<void> {
    await this.receiver.start();
    this.options.logger.info('Slack Socket Mode connected');
  }

  async stop(): Promise<void> {
    await this.receiver.stop();
  }

  private async process(event: SocketEvent): Promise<void> {
    const { logger } = this.options;
    let parsed: ParsedRequest;
    try {
      parsed = this.options.parse(event.body);
    } catch (error) {
      // Acknowledged anyway: Slack would only send the same malformed envelope again.
      logger.warn({ err: toSwitchboardError(error) }, 'Slack Socket Mode envelope refused');
      await event.ack();
      return;
    }
    if (event.retryNum) logger.info({ retryNum: event.retryNum, retryReason: event.retryReason }, 'Slack sent an envelope again');
    if (parsed.kind === 'response') {
      await event.ack(ackBody(parsed.response.body));
      return;
    }
    const handled = Promise.all(
      parsed.messages.map((message) =>
        this.options.handler(message).catch((error: unknown) => {
          logger.error({ err: toSwitchboardError(error), messageId: message.messageId }, 'Slack Socket Mode message failed');
        }),
      ),
    );
    await Promise.race([handled, sleep(this.options.clock, this.options.ackWithinMs ?? 2_000)]);
    await event.ack(ackBody(parsed.ack.body));
  }
}

/**
 * What a Socket Mode envelope carries. The receiver hands over only the payload, so it is told apart by
 * shape as Bolt does: a slash command has `command`, an Events API envelope its envelope `type`, and
 * anything else is an interaction (`block_actions`, `view_submission`, …).
 */
export function socketPayloadKind(body: Record<string, unknown>): 'events' | 'command' | 'interaction' {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'event_callback' || body.type === 'url_verification' || body.type === 'app_rate_limited') return 'events';
  return 'interaction';
}

interface SocketEvent {
  body: Record<string, unknown>;
  ack(response?: Record<string, unknown>): Promise<void>;
  retryNum?: number;
  retryReason?: string;
}

function ackBody(body: string | Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return typeof body === 'object' ? body : undefined;
}
