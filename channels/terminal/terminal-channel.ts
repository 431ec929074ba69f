import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Clock } from '../../core/clock.js';
import type { ChannelAdapter, InboundHandler, SentReceipt } from '../channel-port.js';
import type { OutboundMessage } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';

export interface TerminalChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Who is typing (the OS user name). */
  user: string;
  clock: Clock;
  /** Called when the input ends (Ctrl-D) or the user types /quit. */
  onClose?: () => void;
}

/**
 * `switchboard chat`: a conversation with the bot in a terminal. One line is one message.
 * Replies to a line are printed as the line's turn completes; anything sent outside a turn
 * (a reminder) is printed when it arrives.
 */
export class TerminalChannel implements ChannelAdapter {
  readonly name = 'terminal';
  private rl: readline.Interface | undefined;
  private readonly printed = new Set<string>();

  constructor(private readonly options: TerminalChannelOptions) {}

  get conversation(): string {
    return `terminal:${this.options.user}`;
  }

  async start(handler: InboundHandler): Promise<void> {
    const { input, output, user, clock } = this.options;
    const rl = readline.createInterface({ input, output, terminal: false });
    this.rl = rl;
    output.write('Connected to Switchboard. Type a message, or /quit to leave.\n');
    let queue = Promise.resolve();
    rl.on('line', (line) => {
      const text = line.trim();
      if (text === '/quit' || text === '/exit') {
        rl.close();
        return;
      }
      if (!text) return;
      // Lines are handled one after another, in the order typed.
      queue = queue.then(async () => {
        try {
          const outcome = await handler(sanitiseInbound({
            channel: 'terminal',
            messageId: randomUUID(),
            conversation: this.conversation,
            user: { id: user, displayName: user },
            text,
            receivedAt: clock.now(),
          }));
          for (const reply of outcome.replies) this.print(reply);
        } catch (error) {
          output.write(`! ${(error as Error).message}\n`);
        }
      });
    });
    rl.on('close', () => {
      void queue.then(() => this.options.onClose?.());
    });
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async send(message: OutboundMessage): Promise<SentReceipt> {
    this.print(message);
    return {};
  }

  private print(message: OutboundMessage): void {
    if (this.printed.has(message.id)) return;
    this.printed.add(message.id);
    this.options.output.write(`${message.text}\n`);
  }
}
