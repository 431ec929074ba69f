import type { ChannelAdapter, InboundHandler, SentReceipt } from '../channel-port.js';
import type { OutboundMessage } from '../message.js';

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

  async send(message: OutboundMessage): Promise<SentReceipt> {
    await this.bus.publish(webchatTopic(message.conversation), JSON.stringify(message));
    return {};
  }

  subscribe(conversation: string, listener: (message: OutboundMessage) => void): Promise<() => Promise<void>> {
    return this.bus.subscribe(webchatTopic(conversation), (raw) => listener(JSON.parse(raw) as OutboundMessage));
  }
}
