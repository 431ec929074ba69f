import { SwitchboardError } from '../../core/index.js';

/**
 * Why a registrar, an RDAP server or a DNS provider could not do what was asked. Providers map their
 * own error bodies to one of these codes so the actions never branch on a platform's wording.
 */
export type DomainErrorCode =
  /** The name cannot be a domain (empty label, bad character, too long). */
  | 'invalid_domain'
  /** No RDAP server / registrar sells this TLD. */
  | 'unsupported_tld'
  /** Rate limited (429, or the 403/422 some registries use): try again later. */
  | 'rate_limited'
  /** The credentials were refused. */
  | 'unauthorized'
  /** The name is taken or not for sale. */
  | 'not_available'
  /** The registrar's price is no longer the one confirmed: nothing was bought. */
  | 'price_changed'
  /** Not enough funds, terms not accepted, a limit reached: the provider refused the order. */
  | 'refused'
  /** The zone, record or name is not in the account. */
  | 'not_found'
  /** The request timed out or the connection was cut after it was sent: it may or may not have happened. */
  | 'outcome_unknown'
  /** The provider could not be reached or answered 5xx. */
  | 'unavailable'
  /** Any other refusal of the provider; `message` carries its reason as a sentence. */
  | 'provider_error';

/**
 * One failure of a domain provider. `message` is a sentence a person can read (no secrets, no setting
 * names); `retryable` says whether trying again later may help (rate limits, outages). An `outcome_unknown`
 * is never retried blindly: the caller asks the provider first whether it happened.
 */
export class DomainProviderError extends SwitchboardError {
  override readonly status: number;
  /** The provider's Retry-After in seconds, when it gave one. */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.status = options?.status ?? (code === 'invalid_domain' || code === 'unsupported_tld' ? 400 : 502);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
