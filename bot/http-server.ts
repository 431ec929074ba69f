import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ChannelAdapter, RawRequest, WebhookResponse } from '../channels/index.js';
import { cleanText, identifierProblem } from '../channels/index.js';
import { registerWebchatRoutes, type WebchatChannel, type WebchatHistoryItem } from '../channels/webchat/index.js';
import type { Clock } from '../core/clock.js';
import { BadRequestError, ConversationBusyError, StoreError, SwitchboardError, TooManyRequestsError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { runAdminCommand, type AdminDeps } from './admin-commands.js';
import { authorizeAdmin, authorizeConverse } from './http-auth.js';
import type { MessagePipeline } from './message-pipeline.js';
import { isStoreUnavailable, toStoreError } from '../store/index.js';

/** `/ready` answers within this even when a store hangs (each store's own check is bounded below it). */
const READY_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface HttpServerOptions {
  logger: Logger;
  clock: Clock;
  maxBodyBytes: number;
  apiToken: string | undefined;
  /** The per-start admin token from the data-dir lock file (embedded database only). */
  localAdminToken: string | undefined;
  pipeline: MessagePipeline;
  webchat: WebchatChannel;
  webchatHistory(conversation: string): Promise<WebchatHistoryItem[]>;
  /** The largest voice note the web chat accepts (MEDIA_MAX_BYTES). */
  maxVoiceBytes: number;
  /** Channels that receive by webhook; their routes are mounted with raw bodies. */
  channels: readonly ChannelAdapter[];
  admin: AdminDeps;
  /** Checks each store, each bounded in time (about 1.5 s); used by /ready. */
  readiness(): Promise<Record<string, boolean>>;
}

/**
 * `POST /api/converse`: one turn, synchronously (Botpress's converse API). `channel` may be
 * `terminal` for `switchboard chat` talking to a running service; it defaults to `webchat`.
 */
export const ConverseRequestSchema = z.object({
  user: converseIdentifier('user', z.string({ error: 'user is required (a string)' }).trim().min(1, 'user must not be empty').max(200)),
  /** Free text keeps the message: NUL removed, a lone surrogate becomes U+FFFD (channels/sanitise-inbound.ts). */
  text: z.string({ error: 'text is required (a string)' }).max(100_000, 'text must be at most 100000 characters').transform(cleanText),
  conversation: converseIdentifier('conversation', z.string().trim().min(1).max(200)).optional(),
  /** An idempotency key: the same id again returns the first answer and acts no second time. */
  messageId: converseIdentifier('messageId', z.string().trim().min(1).max(200)).optional(),
  channel: z.enum(['webchat', 'terminal']).default('webchat'),
  /** The sender's display name, if the caller knows it; a name that is nothing once cleaned is left out. */
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .transform((name) => cleanText(name).trim() || undefined)
    .optional(),
});

/** Ids and keys are never altered (another value would be another person or conversation): NUL, lone surrogates and control characters are a 400. */
function converseIdentifier(field: string, schema: z.ZodString) {
  return schema.refine((value) => identifierProblem(value) === undefined, `${field} contains a NUL, a lone surrogate or a control character`);
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { logger, pipeline } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request lines would log every web chat poll; turns log what matters themselves.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxBodyBytes,
    // A request that is slow to arrive should not hold a connection forever.
    requestTimeout: 120_000,
    return503OnClosing: true,
  });

  app.setErrorHandler((thrown: FastifyError | SwitchboardError, request, reply) => {
    // A driver error that escaped the store layer (a library on the pool) is still a store outage: 503.
    const error = isStoreUnavailable(thrown) ? (toStoreError(thrown) as SwitchboardError) : thrown;
    if (error instanceof SwitchboardError) {
      // A 503 is temporary and expected while a store is away (the platform retries): one line, no stack.
      if (error.status === 503) request.log.warn({ code: error.code, reason: error.message }, 'request deferred: 503');
      else if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      // 503 means "temporary": platforms and clients retry, and Retry-After says when.
      if (error.status === 503) reply.header('retry-after', String(error instanceof StoreError ? error.retryAfterSeconds : 5));
      return reply.status(error.status).send({ error: error.toJSON() });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
    }
    return reply.status(status).send({ error: describeClientError(status, error, options.maxBodyBytes) });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `There is nothing at ${request.method} ${request.url}.` } }),
  );

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    // readiness() bounds each store's check; this bound is the last word, so /ready always answers.
    const stores = await withTimeout(options.readiness(), READY_TIMEOUT_MS, () => ({ durable: false, hot: false }));
    const ready = Object.values(stores).every(Boolean);
    if (!ready) reply.header('retry-after', '5');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', stores });
  });

  app.post('/api/converse', async (request) => {
    authorizeConverse(request, options.apiToken);
    const parsed = ConverseRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError(parsed.error.issues.map(formatIssue).join('; '));
    const body = parsed.data;
    const outcome = await pipeline.handleInbound({
      channel: body.channel,
      messageId: body.messageId ?? randomUUID(),
      conversation: body.conversation ?? body.user,
      user: { id: body.user, ...(body.name ? { displayName: body.name } : {}) },
      text: body.text,
      receivedAt: options.clock.now(),
    });
    if (outcome.status === 'busy') throw new ConversationBusyError();
    if (outcome.status === 'rate_limited') throw new TooManyRequestsError();
    return {
      status: outcome.status,
      replies: outcome.replies.map((r) => ({ id: r.id, text: r.text, ...(r.buttons ? { buttons: r.buttons } : {}) })),
    };
  });

  app.post<{ Params: { name: string } }>('/api/admin/commands/:name', async (request) => {
    authorizeAdmin(request, options.apiToken, options.localAdminToken);
    return { result: await runAdminCommand(options.admin, request.params.name, request.body) };
  });

  registerWebchatRoutes(app, { channel: options.webchat, clock: options.clock, history: options.webchatHistory, maxVoiceBytes: options.maxVoiceBytes });
  await app.register(async (scope) => registerWebhooks(scope, options));
  return app;
}

/** Mounts every channel's webhooks with the body kept as raw bytes, for signature checks. */
function registerWebhooks(scope: FastifyInstance, options: HttpServerOptions): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  for (const channel of options.channels) {
    for (const route of channel.webhooks?.() ?? []) {
      scope.route({
        method: route.method,
        url: route.path,
        ...(route.maxBodyBytes ? { bodyLimit: Math.max(route.maxBodyBytes, options.maxBodyBytes) } : {}),
        handler: async (request, reply) => {
          const raw: RawRequest = {
            method: request.method,
            path: route.path,
            headers: request.headers,
            query: request.query as Record<string, string | undefined>,
            rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          };
          const parsed = await route.verifyAndParse(raw);
          if (parsed.kind === 'response') return sendWebhookResponse(reply, parsed.response);
          // Each message is stored before the acknowledgement goes out, and handled after it.
          for (const message of parsed.messages) await options.pipeline.enqueueInbound(message);
          return sendWebhookResponse(reply, parsed.ack);
        },
      });
    }
  }
}

function sendWebhookResponse(reply: FastifyReply, response: WebhookResponse) {
  reply.status(response.status);
  if (response.contentType) reply.header('content-type', response.contentType);
  return reply.send(response.body ?? '');
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.');
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
}

function describeClientError(status: number, error: FastifyError, maxBodyBytes: number): { code: string; message: string } {
  switch (status) {
    case 413:
      return { code: 'payload_too_large', message: `The request body is larger than the limit of ${maxBodyBytes} bytes.` };
    case 415:
      return { code: 'unsupported_media_type', message: 'Send the body as JSON with "Content-Type: application/json".' };
    case 400:
      return {
        code: 'bad_request',
        message: /JSON/i.test(error.message) || error.code?.includes('JSON') ? 'The body is not valid JSON.' : error.message,
      };
    default:
      return { code: 'client_error', message: error.message };
  }
}
