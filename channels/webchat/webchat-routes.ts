import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { BadRequestError } from '../../core/errors.js';
import type { OutboundMessage } from '../message.js';
import { cleanText, identifierProblem, sanitiseInbound } from '../sanitise-inbound.js';
import type { WebchatChannel } from './webchat-channel.js';
import { newSessionToken, readSessionToken, sessionCookie, userIdFor } from './webchat-session.js';

export interface WebchatHistoryItem {
  id: string;
  direction: 'in' | 'out';
  text: string;
  createdAt: number;
}

export interface WebchatRoutesOptions {
  channel: WebchatChannel;
  clock: Clock;
  /** The latest messages of a web chat conversation, oldest first. */
  history(conversation: string): Promise<WebchatHistoryItem[]>;
  /** The largest voice recording accepted, in bytes (MEDIA_MAX_BYTES). */
  maxVoiceBytes: number;
}

const PostMessageSchema = z.object({
  // Free text keeps the message: NUL removed, lone surrogates replaced (channels/sanitise-inbound.ts).
  text: z
    .string()
    .transform(cleanText)
    .pipe(z.string().trim().min(1, 'text must not be empty').max(8_000, 'text must be at most 8000 characters')),
  /** The page's own id for the message, so a resend after a network error is handled once. */
  clientMessageId: z
    .string()
    .min(8)
    .max(100)
    .refine((id) => identifierProblem(id) === undefined, 'clientMessageId contains a NUL, a lone surrogate or a control character')
    .optional(),
});

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/webchat/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/webchat/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/**
 * The web chat's HTTP surface: the page and its assets (served from this folder, no CDN), the
 * session, history, sending a message, and a server-sent event stream for proactive messages.
 */
export function registerWebchatRoutes(app: FastifyInstance, options: WebchatRoutesOptions): void {
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });

  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(new URL(`./public/${asset.file}`, import.meta.url));
    app.get(path, async (_request, reply) =>
      reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(body),
    );
  }

  app.get('/webchat/api/session', async (request, reply) => {
    const user = session(request, reply);
    return { user, identity: `webchat:${user}` };
  });

  app.get('/webchat/api/history', async (request, reply) => {
    const user = session(request, reply);
    return { messages: await options.history(user) };
  });

  app.post('/webchat/api/messages', async (request, reply) => {
    const user = session(request, reply);
    const parsed = PostMessageSchema.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError(parsed.error.issues[0]?.message ?? 'invalid message');
    const outcome = await options.channel.inbound()(sanitiseInbound({
      channel: 'webchat',
      messageId: parsed.data.clientMessageId ?? randomUUID(),
      conversation: user,
      user: { id: user },
      text: parsed.data.text,
      receivedAt: options.clock.now(),
    }));
    return { status: outcome.status, replies: outcome.replies.map(view) };
  });

  // A voice note recorded in the page, uploaded as WAV (or any audio the browser produced).
  void app.register(async (scope) => {
    scope.addContentTypeParser(/^audio\//, { parseAs: 'buffer', bodyLimit: options.maxVoiceBytes }, (_request, body, done) => done(null, body));
    scope.post('/webchat/api/voice', { bodyLimit: options.maxVoiceBytes }, async (request, reply) => {
      const user = session(request, reply);
      const bytes = request.body as Buffer;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new BadRequestError('The recording is empty.');
      const mimeType = String(request.headers['content-type']).split(';')[0]!.trim();
      const fileRef = options.channel.storeUpload(bytes, mimeType);
      const outcome = await options.channel.inbound()(sanitiseInbound({
        channel: 'webchat',
        messageId: randomUUID(),
        conversation: user,
        user: { id: user },
        text: '',
        voice: { kind: 'voice', fileRef, declaredMimeType: mimeType, declaredSizeBytes: bytes.length },
        receivedAt: options.clock.now(),
      }));
      return { status: outcome.status, replies: outcome.replies.map(view) };
    });
  });

  app.get('/webchat/api/events', async (request, reply) => {
    const user = session(request, reply);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...(reply.getHeader('set-cookie') ? { 'set-cookie': reply.getHeader('set-cookie') as string } : {}),
    });
    raw.write(': connected\n\n');
    const unsubscribe = await options.channel.subscribe(user, (message) => {
      raw.write(`id: ${message.id}\ndata: ${JSON.stringify(view(message))}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      streams.delete(close);
      void unsubscribe();
      if (!raw.writableEnded) raw.end();
    };
    streams.add(close);
    request.raw.on('close', close);
  });
}

function session(request: FastifyRequest, reply: FastifyReply): string {
  let token = readSessionToken(request.headers.cookie);
  if (!token) {
    token = newSessionToken();
    reply.header('set-cookie', sessionCookie(token));
  }
  return userIdFor(token);
}

function view(message: OutboundMessage) {
  return { id: message.id, text: message.text, kind: message.kind, buttons: message.buttons ?? [], createdAt: message.createdAt };
}
