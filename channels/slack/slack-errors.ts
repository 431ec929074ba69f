import { webApi } from '@slack/bolt';
import { SwitchboardError } from '../../core/errors.js';
import { ChannelSendError, failedBeforeSending } from '../channel-port.js';

/** Slack platform errors that mean "try again later", not "this can never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
/** Platform errors that mean the token itself is wrong: the channel cannot work until config changes. */
export const SLACK_AUTH_ERRORS = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/** The bot token was refused by Slack (`auth.test` answered invalid_auth, not_authed, …). */
export class SlackAuthError extends SwitchboardError {
  readonly code = 'slack_auth_failed';
  constructor(readonly slackError: string, options?: { cause?: unknown }) {
    super(`Slack refused the bot token (${slackError}). Check SLACK_BOT_TOKEN: it is the Bot User OAuth Token (xoxb-…) of the installed app.`, options);
  }
}

/** A Slack file larger than the caller accepts (declared by files.info, or found while downloading). */
export class SlackFileTooLargeError extends SwitchboardError {
  readonly code = 'media_too_large';
  override readonly status = 413;
  constructor(readonly fileId: string, readonly maxBytes: number) {
    super(`The Slack file ${fileId} is larger than ${maxBytes} bytes.`);
  }
}

/** A Slack file that cannot be downloaded: not found, no access, or an answer that is not the file. */
export class SlackFileUnavailableError extends SwitchboardError {
  readonly code = 'media_unavailable';
  override readonly status = 502;
  constructor(readonly fileId: string, reason: string, options?: { cause?: unknown }) {
    super(`The Slack file ${fileId} could not be downloaded: ${reason}.`, options);
  }
}

/**
 * Normalises what `@slack/web-api` throws during `send()` into the pipeline's `ChannelSendError`:
 * - 429 (`WebAPIRateLimitedError`, the client rejects instead of waiting) → retryable after `Retry-After`;
 * - HTTP 5xx, a connection refused before anything was sent, and transient platform errors → retryable;
 * - a timeout or a connection lost after the request was written → outcome unknown: Slack may have
 *   posted it and chat.postMessage takes no idempotency key, so it is recorded, not posted again;
 * - every other platform error (`channel_not_found`, `not_in_channel`, `invalid_auth`, `msg_too_long`…)
 *   and HTTP 4xx → not retryable: trying again cannot help, so the row is recorded as failed at once.
 */
export function toChannelSendError(error: unknown): ChannelSendError {
  const options = { cause: error };
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new ChannelSendError(`Slack rate-limited chat.postMessage (retry after ${error.retryAfter} s)`, 'slack', true, error.retryAfter * 1000, options);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const retryAfter = Number(error.headers['retry-after']);
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    return new ChannelSendError(`Slack answered HTTP ${error.statusCode}`, 'slack', error.statusCode >= 500, retryAfterMs, options);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    if (failedBeforeSending(error)) return new ChannelSendError(`Slack could not be reached: ${error.original.message}`, 'slack', true, undefined, options);
    return new ChannelSendError(`Slack did not answer the request (it may have been posted): ${error.original.message}`, 'slack', false, undefined, { ...options, outcomeUnknown: true });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    return new ChannelSendError(`Slack refused the message: ${code}`, 'slack', TRANSIENT_PLATFORM_ERRORS.has(code), undefined, options);
  }
  // The client aborts a 429 whose Retry-After it cannot read with a plain Error; it is still a rate limit.
  if (error instanceof Error && /Retry header did not contain a valid timeout|rate limit/i.test(error.message)) {
    return new ChannelSendError(`Slack rate-limited chat.postMessage: ${error.message}`, 'slack', true, undefined, options);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ChannelSendError(`Sending to Slack failed: ${message}`, 'slack', false, undefined, options);
}

/** The Slack error code of a platform error (`invalid_auth`, `file_not_found`…), if it is one. */
export function platformErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}
