import { ChannelSendError, type ChannelAdapter, type ChannelName, type OutboundMessage, type SentReceipt } from '../../channels/index.js';

/** An in-process channel that records what it is asked to deliver, and can be told to fail. */
export class RecordingChannel implements ChannelAdapter {
  sent: OutboundMessage[] = [];
  /** Every send fails (not retryable) while true. */
  broken = false;
  constructor(readonly name: ChannelName) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(message: OutboundMessage): Promise<SentReceipt> {
    if (this.broken) throw new ChannelSendError(`${this.name} is down`, this.name, false);
    this.sent.push(message);
    return { platformMessageId: `${this.name}-${this.sent.length}` };
  }
  texts(conversation?: string): string[] {
    return this.sent.filter((m) => !conversation || m.conversation === conversation).map((m) => m.text);
  }
}
