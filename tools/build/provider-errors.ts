import { SwitchboardError } from '../../core/index.js';

/**
 * Errors shared by every build and deploy provider. Messages are sentences a person can act on; they
 * name the platform as people know it ("GitHub", "Vercel"), never a class, module or endpoint path.
 */

export type ProviderLabel = string;

/** The platform refused the token (HTTP 401, or 403 without a rate limit). */
export class ProviderAuthError extends SwitchboardError {
  readonly code = 'provider_auth_failed';
  override readonly status = 502;
  constructor(
    readonly provider: ProviderLabel,
    readonly setting: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} did not accept the credentials; check ${setting}.`, options);
  }
}

/** The repository, workflow, project or deployment does not exist (or the token cannot see it). */
export class ProviderNotFoundError extends SwitchboardError {
  readonly code = 'provider_not_found';
  override readonly status = 404;
  constructor(
    readonly provider: ProviderLabel,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} could not find ${what}, or the token is not allowed to see it.`, options);
  }
}

/** The platform asks us to slow down; `retryAfterMs` is what it said (or a safe default). */
export class ProviderRateLimitedError extends SwitchboardError {
  readonly code = 'provider_rate_limited';
  override readonly status = 503;
  constructor(
    readonly provider: ProviderLabel,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${provider} is rate limiting us; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`, options);
  }
}

/** The platform understood the request and refused it (HTTP 422 and the like); `reason` is its own words. */
export class ProviderRejectedError extends SwitchboardError {
  readonly code = 'provider_rejected';
  override readonly status = 502;
  constructor(
    readonly provider: ProviderLabel,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} refused the request: ${reason}`, options);
  }
}

/** The platform could not be reached or answered with a server error. */
export class ProviderUnavailableError extends SwitchboardError {
  readonly code = 'provider_unavailable';
  override readonly status = 503;
  constructor(
    readonly provider: ProviderLabel,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} is not answering right now (${detail}); try again later.`, options);
  }
}

/** An app names a provider whose credentials are not set. */
export class ProviderNotConfiguredError extends SwitchboardError {
  readonly code = 'provider_not_configured';
  override readonly status = 503;
  constructor(
    readonly provider: ProviderLabel,
    readonly setting: string,
  ) {
    super(`${provider} is not set up: set ${setting} and restart Switchboard.`);
  }
}
