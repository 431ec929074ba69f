import { GrammyError, HttpError } from 'grammy';
import { SwitchboardError } from '../../core/errors.js';
import { ChannelSendError, failedBeforeSending } from '../channel-port.js';

/**
 * Normalises a failed Bot API call made to deliver a message (grammY throws `GrammyError` when
 * Telegram answered `ok: false`, `HttpError` when no answer came).
 *
 * - 429: retryable, after `parameters.retry_after` seconds. The adapter does not sleep on it
 *   itself: the pipeline already retries with backoff on the injected clock, bounded and recorded
 *   (see MessagePipeline.deliver), and a second retry policy inside the adapter would hold the
 *   conversation's lock with nobody knowing.
 * - 5xx, a connection refused before anything was sent, and an answer that is not the Bot API's JSON
 *   (a proxy's error page): retryable.
 * - No answer after the request was written (the send timeout, a connection reset): the outcome is
 *   unknown. Telegram may have posted the message, and sendMessage takes no idempotency key, so the
 *   outbox records it as `unknown` instead of posting it again.
 * - Everything else (400 chat not found or bad markup, 401 token revoked, 403 bot blocked or
 *   kicked): recorded as failed at once; sending it again cannot succeed.
 */
export function toChannelSendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (error instanceof GrammyError) {
    const code = error.error_code;
    const retryAfter = error.parameters?.retry_after;
    if (code === 429) {
      return new ChannelSendError(`Telegram rate limit: ${error.description}`, 'telegram', true, retryAfter !== undefined ? retryAfter * 1000 : undefined, { cause: error });
    }
    if (code >= 500) return new ChannelSendError(`Telegram failed: ${error.description}`, 'telegram', true, undefined, { cause: error });
    const migrated = error.parameters?.migrate_to_chat_id;
    const hint = migrated !== undefined ? ` (the group became supergroup ${migrated}; later messages there arrive from the new id)` : '';
    return new ChannelSendError(`Telegram refused the message: ${error.description}${hint}`, 'telegram', false, undefined, { cause: error });
  }
  if (error instanceof HttpError) {
    const inner = error.error as { type?: string } | undefined;
    if (failedBeforeSending(error) || inner?.type === 'invalid-json') {
      return new ChannelSendError(`Telegram could not be reached: ${error.message}`, 'telegram', true, undefined, { cause: error });
    }
    return new ChannelSendError(`Telegram did not answer the request (it may have been delivered): ${error.message}`, 'telegram', false, undefined, {
      cause: error,
      outcomeUnknown: true,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ChannelSendError(`Telegram send failed: ${message}`, 'telegram', false, undefined, { cause: error });
}

/**
 * Fetching a voice note or audio file failed. `too_large`: over the caller's `maxBytes` (or the
 * 20 MB bots may download); `not_found`: Telegram does not know the file id; `unavailable`: the
 * Bot API or its file server did not deliver it (retrying later may work).
 */
export class TelegramMediaError extends SwitchboardError {
  /** `media_too_large` is the channel port's code for a file over `maxBytes` (see ChannelAdapter.fetchMedia). */
  get code(): string {
    return this.reason === 'too_large' ? 'media_too_large' : 'telegram_media_failed';
  }
  constructor(
    message: string,
    readonly reason: 'too_large' | 'not_found' | 'unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
