import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelAdapter, type ChannelDeps, type OutboundMessage } from '../../../channels/index.js';
import { createSlackChannel } from '../../../channels/slack/index.js';
import { createTelegramChannel } from '../../../channels/telegram/index.js';
import { createWhatsAppChannel } from '../../../channels/whatsapp/index.js';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';

/**
 * Every adapter's send is bounded in time and says what the platform can have seen: a connection
 * refused before anything was sent is retryable; a request written and never answered has an
 * unknown outcome (the outbox records it and does not post it again).
 */

let hanging: Server;
const received: string[] = [];
let hangingUrl: string;
let refusedUrl: string;

beforeAll(async () => {
  // Reads the whole request (so it was delivered), then never answers.
  hanging = createServer((req: IncomingMessage) => {
    req.on('data', () => {});
    req.on('end', () => received.push(req.url ?? ''));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise<void>((resolve) => hanging.close(() => resolve()));
});

const deps: ChannelDeps = {
  logger: silentLogger(),
  clock: new SystemClock(),
  lastInboundAt: async () => Date.now(),
  recordDeliveryStatus: async () => false,
};

const adapters: Record<string, { to: string; make: (url: string) => ChannelAdapter }> = {
  telegram: {
    to: '501',
    make: (url) => createTelegramChannel({ botToken: '7000000001:AAFakeToken', apiRoot: url, mode: 'webhook', webhookSecret: 's' }, deps, { sendTimeoutMs: 400 }),
  },
  slack: {
    to: 'C0OPS00001',
    make: (url) => createSlackChannel({ botToken: 'xoxb-1-2-3', signingSecret: 'secret', appToken: undefined, apiUrl: `${url}/api/` }, deps, { apiTimeoutMs: 400 }),
  },
  whatsapp: {
    to: '447700900123',
    make: (url) =>
      createWhatsAppChannel(
        { accessToken: 'token', appSecret: 'app-secret', verifyToken: 'verify', phoneNumberId: '1234567890', graphUrl: url, apiVersion: 'v21.0', template: undefined },
        deps,
        { apiTimeoutMs: 400 },
      ),
  },
};

function reply(channel: string, to: string): OutboundMessage {
  return { id: `out-${channel}`, channel: channel as OutboundMessage['channel'], conversation: to, text: 'hello', kind: 'reply', createdAt: Date.now() };
}

describe.each(Object.entries(adapters))('%s send', (name, { to, make }) => {
  it('is bounded, and a request written but never answered has an unknown outcome', async () => {
    const before = received.length;
    const started = Date.now();
    const error = await make(hangingUrl).send(reply(name, to)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ outcomeUnknown: true, retryable: false });
    expect(received.length).toBe(before + 1);
  });

  it('is retryable when the connection was refused before anything was sent', async () => {
    const error = await make(refusedUrl).send(reply(name, to)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ outcomeUnknown: false, retryable: true });
  });
});
