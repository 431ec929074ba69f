import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelDeps, OutboundMessage, ParsedRequest, RawRequest, VoiceAttachment } from '../../channels/index.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';

/**
 * The contract every channel adapter keeps (channels/channel-port.ts), run against each adapter with
 * its platform's fake. An adapter joins with a few lines: a test file that calls
 * `channelAdapterContract(name, setup)` with a `ContractSubject` built on its fake.
 *
 * - verify and parse: a request signed as the platform signs it becomes the bot's message; a forged
 *   signature is a 401, a body that is not the platform's payload a 400; free text holding NUL or lone
 *   surrogates is kept (cleaned), an identifier holding them is never handed over (400, or the item
 *   left out of a batch);
 * - send: an outbound message reaches the platform (the fake records it), with the platform's id when
 *   the platform gives one;
 * - media: a voice note within the limit is fetched whole; one over it fails with `media_too_large`.
 */
export interface ContractSubject {
  adapter: ChannelAdapter;
  /** Signed requests to the adapter's message webhook; absent for a channel without one (the web chat). */
  requests?: {
    /** One message from the platform with this text, signed correctly. */
    good(text: string): RawRequest;
    /** The same, signed with the wrong secret. */
    forged(text: string): RawRequest;
    /** Signed correctly; the body is JSON but not the platform's payload. */
    malformed(): RawRequest;
    /** Signed correctly; an identifier the platform sends as a string (user, chat, message id) holds NUL. */
    unstorableId(): RawRequest;
  };
  /** A conversation `send` can deliver to, and the texts the fake has received there. */
  conversation: string;
  received(): string[];
  /** Whether the platform answers a send with its id for the message. */
  givesMessageId: boolean;
  /** A voice note of `size` bytes that the fake serves. */
  media(size: number): Promise<VoiceAttachment>;
  close(): Promise<void>;
}

/** What an adapter is given, for adapters built outside a bot. */
export function contractDeps(): ChannelDeps {
  return {
    logger: silentLogger(),
    clock: new SystemClock(),
    lastInboundAt: async () => Date.now(),
    recordDeliveryStatus: async () => true,
  };
}

export function channelAdapterContract(name: string, setup: () => Promise<ContractSubject>, options: { webhook?: boolean } = {}): void {
  describe(`channel adapter contract: ${name}`, () => {
    let subject: ContractSubject;

    beforeAll(async () => {
      subject = await setup();
    }, 30_000);

    afterAll(async () => {
      await subject?.close();
    });

    const parse = (request: RawRequest): Promise<ParsedRequest> => {
      const route = subject.adapter.webhooks?.().find((r) => r.method === request.method && r.path === request.path);
      if (!route) throw new Error(`${name} mounts no ${request.method} ${request.path}`);
      return route.verifyAndParse(request);
    };
    const messagesOf = (parsed: ParsedRequest) => (parsed.kind === 'messages' ? parsed.messages : []);

    it('is named after its channel', () => {
      expect(subject.adapter.name).toBe(name);
    });

    // A channel without a platform webhook (the web chat: no signature) leaves these out; its HTTP
    // routes are fuzzed in test/channels/fuzz/.
    if (options.webhook !== false) {
      it('verifies and parses a correctly signed request into the bot message, acknowledged with a 2xx', async () => {
        const parsed = await parse(subject.requests!.good('hello from the contract'));
        expect(parsed.kind).toBe('messages');
        if (parsed.kind !== 'messages') return;
        expect(parsed.ack.status).toBeGreaterThanOrEqual(200);
        expect(parsed.ack.status).toBeLessThan(300);
        expect(parsed.messages).toHaveLength(1);
        expect(parsed.messages[0]).toMatchObject({ channel: name, text: 'hello from the contract' });
        expect(parsed.messages[0]!.messageId).toEqual(expect.any(String));
        expect(parsed.messages[0]!.user.id).toEqual(expect.any(String));
      });

      it('refuses a forged signature with 401', async () => {
        await expect(parse(subject.requests!.forged('hello'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
      });

      it('refuses a signed body that is not its platform payload with 400', async () => {
        await expect(parse(subject.requests!.malformed())).rejects.toMatchObject({ status: 400, code: 'bad_request' });
      });

      it('keeps a message whose text holds NUL or a lone surrogate, cleaned', async () => {
        const [message] = messagesOf(await parse(subject.requests!.good('hi\u0000 there\ud800')));
        expect(message?.text).toBe('hi there\ufffd');
      });

      it('never hands over a message whose identifier holds NUL (400, or the item left out of its batch)', async () => {
        let parsed: ParsedRequest | undefined;
        try {
          parsed = await parse(subject.requests!.unstorableId());
        } catch (error) {
          expect(error).toMatchObject({ status: 400 });
          return;
        }
        const handed = messagesOf(parsed);
        expect(handed).toEqual([]);
        expect(JSON.stringify(parsed)).not.toContain('\\u0000');
      });
    }

    it('sends an outbound message to its platform', async () => {
      const text = `contract reply ${randomUUID().slice(0, 8)}`;
      const message: OutboundMessage = { id: randomUUID(), channel: name as OutboundMessage['channel'], conversation: subject.conversation, text, kind: 'reply', createdAt: Date.now() };
      const receipt = await subject.adapter.send(message);
      await expect.poll(() => subject.received(), { timeout: 5_000 }).toContain(text);
      if (subject.givesMessageId) expect(receipt.platformMessageId).toEqual(expect.any(String));
    });

    it('fetches a voice note within the limit whole, and refuses one over it with media_too_large', async () => {
      expect(subject.adapter.fetchMedia).toBeDefined();
      const small = await subject.adapter.fetchMedia!(await subject.media(2_048), { maxBytes: 4_096 });
      expect(small.bytes.length).toBe(2_048);
      await expect(subject.adapter.fetchMedia!(await subject.media(8_192), { maxBytes: 4_096 })).rejects.toMatchObject({ code: 'media_too_large' });
    });
  });
}
