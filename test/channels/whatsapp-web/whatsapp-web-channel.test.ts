import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelSendError, type ChannelDeps, type InboundMessage, type OutboundMessage } from '../../../channels/index.js';
import {
  createWhatsAppWebChannel,
  loadWhatsAppWeb,
  WhatsAppWebMediaError,
  WhatsAppWebUnavailableError,
  type WebClient,
  type WebMessage,
  type WhatsAppWebChannel,
} from '../../../channels/whatsapp-web/index.js';
import { MediaTooLargeError } from '../../../channels/whatsapp/index.js';
import { ManualClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import { recorded } from './recorded-messages.js';
import { itNeeding } from '../../support/needs.js';

/** A stand-in for whatsapp-web.js's Client: the same events and methods, no browser. */
class StubClient extends EventEmitter implements WebClient {
  initialized = 0;
  destroyed = 0;
  sent: { chatId: string; content: string }[] = [];
  readonly stored = new Map<string, WebMessage>();

  constructor(private readonly failStart = false) {
    super();
  }

  /** Like the real one: resolves once the page is up (here: never, or fails to launch). */
  async initialize(): Promise<void> {
    this.initialized++;
    if (this.failStart) throw new Error('Failed to launch the browser process');
    return new Promise(() => {});
  }
  async destroy(): Promise<void> {
    this.destroyed++;
  }
  async sendMessage(chatId: string, content: string) {
    this.sent.push({ chatId, content });
    return { id: { fromMe: true, remote: chatId, id: `3EB0${this.sent.length}`, _serialized: `true_${chatId}_3EB0${this.sent.length}` } };
  }
  async getMessageById(id: string) {
    return this.stored.get(id) ?? null;
  }
}

let clock: ManualClock;
let logLines: string[];
let clients: StubClient[];
let sessionDir: string;
let handled: InboundMessage[];
let channel: WhatsAppWebChannel;

function deps(): ChannelDeps {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', stream }),
    clock,
    lastInboundAt: async () => undefined,
    recordDeliveryStatus: async () => false,
  };
}

let failStarts = 0;
const library = {
  createClient: vi.fn((_options: { sessionDir: string }) => {
    const client = new StubClient(failStarts-- > 0);
    clients.push(client);
    return client;
  }),
};

async function started(options: { handler?: (m: InboundMessage) => Promise<void> } = {}): Promise<StubClient> {
  channel = createWhatsAppWebChannel({ sessionDir }, deps(), { loadLibrary: async () => library, reconnect: { initialDelayMs: 2_000, maxDelayMs: 10_000 } });
  await channel.start(async (message) => {
    handled.push(message);
    await options.handler?.(message);
    return { status: 'answered', replies: [] };
  });
  return clients.at(-1)!;
}

function reply(text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: `out-${Math.random()}`, channel: 'whatsapp', conversation: '15551234567', text, kind: 'reply', createdAt: clock.now(), ...extra };
}

beforeEach(() => {
  clock = new ManualClock();
  logLines = [];
  clients = [];
  handled = [];
  failStarts = 0;
  library.createClient.mockClear();
  sessionDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-wweb-')), 'session');
});
afterEach(async () => {
  await channel?.stop();
  rmSync(path.dirname(sessionDir), { recursive: true, force: true });
});

describe('loading whatsapp-web.js', () => {
  it('says clearly how to install it when it is missing', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'whatsapp-web.js'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await loadWhatsAppWeb(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppWebUnavailableError);
    expect((error as Error).message).toMatch(/optional package whatsapp-web\.js.*PUPPETEER_SKIP_DOWNLOAD=true npm install whatsapp-web\.js@1\.34\.7.*PUPPETEER_EXECUTABLE_PATH/);
    channel = createWhatsAppWebChannel({ sessionDir }, deps(), { loadLibrary: () => loadWhatsAppWeb(missing) });
    await expect(channel.start(async () => ({ status: 'answered', replies: [] }))).rejects.toBeInstanceOf(WhatsAppWebUnavailableError);
  });

  itNeeding('whatsapp-web.js')('finds Client and LocalAuth in the installed package (without starting a browser)', async () => {
    const loaded = await loadWhatsAppWeb();
    expect(typeof loaded.createClient).toBe('function');
  });
});

describe('the session', () => {
  it('starts without waiting for the login, with the session folder on disk, and logs the QR code as text', async () => {
    const client = await started();
    expect(library.createClient).toHaveBeenCalledWith({ sessionDir });
    expect(existsSync(sessionDir)).toBe(true);
    expect(client.initialized).toBe(1);
    client.emit('qr', '2@Xy7Qa1bC3dE5fG==,Pq9Rs8Tu7Vw6==,Ab1Cd2Ef3Gh4==,1');
    const line = JSON.parse(logLines.find((l) => l.includes('Linked devices'))!);
    expect(line).toMatchObject({ level: 'warn', qr: '2@Xy7Qa1bC3dE5fG==,Pq9Rs8Tu7Vw6==,Ab1Cd2Ef3Gh4==,1' });
    expect(channel.connected).toBe(false);
    client.emit('ready');
    expect(channel.connected).toBe(true);
  });

  it('reconnects with a doubling delay after disconnects, and from scratch after a failed start', async () => {
    const first = await started();
    first.emit('ready');
    first.emit('disconnected', 'CONFLICT');
    expect(channel.connected).toBe(false);
    await clock.advance(1_999);
    expect(clients).toHaveLength(1);
    await clock.advance(1);
    expect(clients).toHaveLength(2);
    expect(first.destroyed).toBe(1);
    expect(clients[1]!.initialized).toBe(1);

    clients[1]!.emit('disconnected', 'LOGOUT');
    expect(logLines.some((l) => l.includes('the phone unlinked this device'))).toBe(true);
    await clock.advance(3_999);
    expect(clients).toHaveLength(2);
    await clock.advance(1);
    expect(clients).toHaveLength(3);

    // A browser that does not start is retried the same way; the delay stops growing at the maximum.
    failStarts = 1;
    clients[2]!.emit('disconnected', 'NAVIGATION');
    await clock.advance(8_000);
    expect(clients).toHaveLength(4);
    expect(logLines.some((l) => l.includes('could not start the browser session'))).toBe(true);
    await clock.advance(9_999);
    expect(clients).toHaveLength(4);
    await clock.advance(1);
    expect(clients).toHaveLength(5);
    // Connected again: the next disconnect starts over at the first delay.
    clients[4]!.emit('ready');
    clients[4]!.emit('disconnected', 'TIMEOUT');
    await clock.advance(2_000);
    expect(clients).toHaveLength(6);
  });

  it('stops: closes the browser and reconnects no more', async () => {
    const client = await started();
    client.emit('ready');
    await channel.stop();
    expect(client.destroyed).toBe(1);
    client.emit('disconnected', 'LOGOUT');
    await clock.advance(60_000);
    expect(clients).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('inbound messages', () => {
  it('hands text messages to the bot with the contact name; ignores our own and status updates', async () => {
    const client = await started();
    client.emit('message', recorded('from-me'));
    client.emit('message', recorded('status-update'));
    client.emit('message', recorded('text-message', { contact: { pushname: 'Sheena' } }));
    await vi.waitFor(() => expect(handled).toHaveLength(1));
    expect(handled[0]).toMatchObject({ conversation: '15551234567', user: { id: '15551234567', displayName: 'Sheena' }, text: 'Hi! Is the new website ready?', receivedAt: clock.now() });
  });

  it('keeps going when a contact cannot be read or the bot fails on a message', async () => {
    const client = await started({ handler: async () => Promise.reject(new Error('store down')) });
    client.emit('message', recorded('text-message', { contact: new Error('Evaluation failed') }));
    await vi.waitFor(() => expect(logLines.some((l) => l.includes('handling a message failed'))).toBe(true));
    expect(handled[0]?.user.displayName).toBeUndefined();
    const line = logLines.find((l) => l.includes('handling a message failed'))!;
    expect(line).not.toContain('15551234567');
  });

  it('downloads a voice note through downloadMedia, within maxBytes', async () => {
    const client = await started();
    const bytes = Buffer.from('OggS voice note bytes');
    const note = recorded('voice-note', { media: { mimetype: 'audio/ogg; codecs=opus', data: bytes.toString('base64'), filesize: bytes.length } });
    client.emit('message', note);
    await vi.waitFor(() => expect(handled).toHaveLength(1));
    const voice = handled[0]!.voice!;
    await expect(channel.fetchMedia(voice, { maxBytes: bytes.length - 1 })).rejects.toBeInstanceOf(MediaTooLargeError);
    expect(await channel.fetchMedia(voice, { maxBytes: 1_000 })).toEqual({ bytes, declaredMimeType: 'audio/ogg; codecs=opus' });
    expect(note.downloads).toBe(2);
  });

  it('finds an older voice note through the client, and says so when it is gone', async () => {
    const client = await started();
    const note = recorded('voice-note', { media: { mimetype: 'audio/ogg', data: Buffer.from('x').toString('base64') } });
    client.stored.set(note.id._serialized, note);
    expect((await channel.fetchMedia({ kind: 'voice', fileRef: note.id._serialized }, { maxBytes: 10 })).bytes).toEqual(Buffer.from('x'));
    await expect(channel.fetchMedia({ kind: 'voice', fileRef: 'false_1@c.us_GONE' }, { maxBytes: 10 })).rejects.toBeInstanceOf(WhatsAppWebMediaError);
    const expired = recorded('voice-note', { media: null });
    client.stored.set('expired', expired);
    await expect(channel.fetchMedia({ kind: 'voice', fileRef: 'expired' }, { maxBytes: 10 })).rejects.toThrow(/did not return the voice note/);
  });
});

describe('sending', () => {
  it('refuses, retryably, until the session is connected', async () => {
    await started();
    await expect(channel.send(reply('hi'))).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/not connected/) });
  });

  it('sends to the chat with sendMessage, buttons as replies to type', async () => {
    const client = await started();
    client.emit('ready');
    const receipt = await channel.send(reply('Type exactly:\nCONFIRM DELETE TASK 2', { buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    expect(client.sent).toEqual([{ chatId: '15551234567@c.us', content: 'Type exactly:\nCONFIRM DELETE TASK 2\n\nReply: "Cancel"' }]);
    expect(receipt).toEqual({ platformMessageId: 'true_15551234567@c.us_3EB01' });
  });

  it('splits a long reply, and after a failure sends only the parts still missing', async () => {
    const client = await started();
    client.emit('ready');
    const message = reply(Array.from({ length: 3 }, (_, i) => `Part ${i} ${'word '.repeat(700)}`).join('\n\n'));
    // The second part fails once.
    const original = client.sendMessage.bind(client);
    let calls = 0;
    client.sendMessage = async (chatId, content) => {
      calls++;
      if (calls === 2) throw new Error('Evaluation failed: TypeError');
      return original(chatId, content);
    };
    const error = await channel.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).retryable).toBe(true);
    await channel.send(message);
    expect(client.sent.map((s) => s.content.slice(0, 6))).toEqual(['Part 0', 'Part 1', 'Part 2']);
    expect(client.sent.every((s) => s.content.length <= 4096)).toBe(true);
  });
});
