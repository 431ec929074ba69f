import os from 'node:os';
import type { InboundHandler, TurnOutcome } from '../../channels/index.js';
import { SystemClock } from '../../core/clock.js';
import { secretsOf } from '../../config/index.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../cli-context.js';

export const chatCommand: CliCommand = {
  usage: 'chat',
  summary: 'talk to the bot from this terminal (through the running service, or in this process if none runs)',
  details: [
    'Talks through the service that holds DATA_DIR (or answers at SWITCHBOARD_URL); with none running,',
    'the bot runs in this process on the same stores. You are the terminal user named after your login.',
    'End the chat with Ctrl-D.',
  ].join('\n'),
  async run(args, context) {
    parseCommandArgs(this, args, {});
    const { config } = context;
    // Loaded here, not at the top: `switchboard --help` should not wait for the bot to load.
    const [{ createBot }, { TerminalChannel }, { createUnderstanding }, { openStores, readDataDirLock }] = await Promise.all([
      import('../../bot/index.js'),
      import('../../channels/terminal/index.js'),
      import('../../intents/index.js'),
      import('../../store/index.js'),
    ]);
    const clock = new SystemClock();
    const user = os.userInfo().username || 'operator';
    const holder = config.databaseUrl ? undefined : readDataDirLock(config.dataDir);
    const serviceUrl = holder?.url ?? ((await reachable(config.serviceUrl)) ? config.serviceUrl : undefined);
    let onClose!: () => void;
    const closed = new Promise<void>((resolve) => (onClose = resolve));
    const channel = new TerminalChannel({ input: context.stdin, output: context.stdout, user, clock, onClose });

    if (serviceUrl) {
      await channel.start(converseClient(serviceUrl, config.apiToken, channel.conversation));
      await closed;
      return 0;
    }
    // No service is running: the bot runs here, on the same stores, with the terminal as its channel.
    const stores = await openStores(config, clock);
    const { understander } = createUnderstanding(config, { secrets: secretsOf(config), logger: context.logger });
    const bot = createBot({ config, logger: context.logger, clock, stores, channels: [channel], understander });
    await bot.start();
    await closed;
    await bot.stop();
    await stores.close();
    return 0;
  },
};

async function reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Hands each terminal line to the running service's converse API. */
function converseClient(url: string, apiToken: string | undefined, conversation: string): InboundHandler {
  return async (message): Promise<TurnOutcome> => {
    const response = await fetch(`${url}/api/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}) },
      body: JSON.stringify({
        channel: 'terminal',
        user: message.user.id,
        name: message.user.displayName,
        conversation,
        text: message.text,
        messageId: message.messageId,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      replies?: { id: string; text: string }[];
      status?: TurnOutcome['status'];
      error?: { message?: string };
    };
    if (!response.ok) throw new Error(body.error?.message ?? `the service answered ${response.status}`);
    return {
      status: body.status ?? 'answered',
      replies: (body.replies ?? []).map((r) => ({
        id: r.id,
        text: r.text,
        channel: 'terminal',
        conversation,
        kind: 'reply',
        createdAt: Date.now(),
      })),
    };
  };
}

export type { CliContext };
