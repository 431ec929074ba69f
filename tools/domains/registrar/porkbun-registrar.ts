import { setTimeout as wait } from 'node:timers/promises';
import { DomainProviderError } from '../domain-errors.js';
import type { DomainQuote, Registrar, Registration } from '../ports.js';

export interface PorkbunRegistrarOptions {
  /** PORKBUN_API_URL, e.g. https://api.porkbun.com/api/json/v3. */
  apiUrl: string;
  /** PORKBUN_API_KEY (pk1_…) and PORKBUN_SECRET_KEY (sk1_…). */
  apiKey: string;
  secretKey: string;
  /** How long a lookup may take. */
  timeoutMs?: number;
  /** How long an order may take before its outcome counts as unknown (then `owns` is asked, never a blind retry). */
  orderTimeoutMs?: number;
  /** Porkbun allows few domain checks a window (1 per 10 s): a check refused for that is tried again once after this wait. */
  checkRetryMs?: number;
}

interface PorkbunBody {
  status?: string;
  message?: string;
  response?: { avail?: unknown; price?: unknown; regularPrice?: unknown; premium?: unknown; additional?: { renewal?: { price?: unknown } } };
  domains?: { domain?: unknown }[];
  orderId?: unknown;
  cost?: unknown;
}

const LIST_PAGE = 1000;

/**
 * Porkbun's JSON API v3 (porkbun.com/api/json/v3/documentation): every call is a POST with `apikey` and
 * `secretapikey` in the JSON body; errors are `{"status":"ERROR","message":"…"}`.
 * - quote: `domain/checkDomain/{domain}` → `response: {avail, price, regularPrice, premium, additional.renewal}`;
 * - owns: `domain/listAll` (1,000 a page, `start`);
 * - register: `domain/create/{domain}` with `cost` in cents (the quoted price × years, which Porkbun
 *   checks against its own price), `agreeToTerms: "yes"` and an `Idempotency-Key` header, so an order
 *   repeated within a day returns the first one instead of buying again.
 * Plain `fetch`: four endpoints, and the npm clients for Porkbun do not cover domain/create's cost and idempotency key.
 */
export class PorkbunRegistrar implements Registrar {
  readonly name = 'porkbun';
  readonly label = 'Porkbun';
  private readonly apiUrl: string;

  constructor(private readonly options: PorkbunRegistrarOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
  }

  async quote(domain: string): Promise<DomainQuote> {
    const check = () => this.call(`domain/checkDomain/${encodeURIComponent(domain)}`, {});
    let body: PorkbunBody;
    try {
      body = await check();
    } catch (error) {
      // The quote before an order comes seconds after the one restated: one wait for the window is expected.
      if (!(error instanceof DomainProviderError && error.code === 'rate_limited')) throw error;
      await wait(this.options.checkRetryMs ?? 10_000);
      body = await check();
    }
    const r = body.response ?? {};
    const price = cents(r.price);
    if (price === undefined) throw new DomainProviderError('provider_error', `Porkbun gave no price for ${domain}.`);
    return {
      domain,
      available: yes(r.avail),
      priceCents: price,
      renewalCents: cents(r.additional?.renewal?.price) ?? cents(r.regularPrice) ?? price,
      currency: 'USD',
      premium: yes(r.premium),
    };
  }

  async owns(domain: string): Promise<boolean> {
    for (let start = 0; ; start += LIST_PAGE) {
      const body = await this.call('domain/listAll', { start: String(start) });
      const page = Array.isArray(body.domains) ? body.domains : [];
      if (page.some((d) => typeof d.domain === 'string' && d.domain.toLowerCase() === domain)) return true;
      if (page.length < LIST_PAGE) return false;
    }
  }

  async register(request: { domain: string; years: number; expectedCostCents: number; idempotencyKey: string }): Promise<Registration> {
    const body = await this.call(
      `domain/create/${encodeURIComponent(request.domain)}`,
      { cost: request.expectedCostCents, agreeToTerms: 'yes', ...(request.years > 1 ? { years: request.years } : {}) },
      { idempotencyKey: request.idempotencyKey, order: true },
    );
    const orderId = typeof body.orderId === 'number' || typeof body.orderId === 'string' ? String(body.orderId) : undefined;
    const cost = typeof body.cost === 'number' ? body.cost : request.expectedCostCents;
    return { domain: request.domain, costCents: cost, years: request.years, ...(orderId ? { orderId } : {}) };
  }

  private async call(path: string, fields: Record<string, unknown>, options: { idempotencyKey?: string; order?: boolean } = {}): Promise<PorkbunBody> {
    const timeoutMs = options.order ? (this.options.orderTimeoutMs ?? 60_000) : (this.options.timeoutMs ?? 15_000);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.apiUrl}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) },
        body: JSON.stringify({ apikey: this.options.apiKey, secretapikey: this.options.secretKey, ...fields }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // An order that was sent may have been placed: the caller must ask `owns` before anything else.
      if (options.order && !refusedBeforeSending(error)) {
        throw new DomainProviderError('outcome_unknown', 'Porkbun did not confirm the order in time, so it may or may not have gone through.', false, { cause: error });
      }
      throw new DomainProviderError('unavailable', 'Porkbun could not be reached; try again in a few minutes.', true, { cause: error });
    }
    let body: PorkbunBody;
    try {
      body = JSON.parse(text) as PorkbunBody;
    } catch {
      if (options.order && response.status >= 500) {
        throw new DomainProviderError('outcome_unknown', `Porkbun answered the order with an error page (HTTP ${response.status}), so it may or may not have gone through.`);
      }
      throw new DomainProviderError('unavailable', `Porkbun answered with something other than JSON (HTTP ${response.status}); try again later.`, response.status >= 500);
    }
    if (response.ok && body.status === 'SUCCESS') return body;
    throw porkbunError(response.status, typeof body.message === 'string' ? body.message : undefined, Boolean(options.order));
  }
}

/** Porkbun's `{"status":"ERROR","message"}` as a sentence with a code. Its messages are written for people, so they are kept. */
function porkbunError(status: number, message: string | undefined, order: boolean): DomainProviderError {
  const said = message ? tidy(message) : `HTTP ${status}`;
  if (status === 429 || /rate limit|too many|limit exceeded/i.test(said)) return new DomainProviderError('rate_limited', `Porkbun is limiting requests right now (${said}); try again in a minute.`, true);
  if (status === 401 || status === 403 || /api key|apikey|secret/i.test(said)) {
    return new DomainProviderError('unauthorized', `Porkbun refused the API keys (${said}). Check the keys and that API access is on for the account.`);
  }
  if (order && /cost|price/i.test(said)) return new DomainProviderError('price_changed', `Porkbun refused the order because the price no longer matches (${said}); nothing was bought.`);
  if (/not available|unavailable|already registered|is taken/i.test(said)) return new DomainProviderError('not_available', `Porkbun says the name is not available (${said}).`);
  if (status >= 500) {
    return order
      ? new DomainProviderError('outcome_unknown', `Porkbun failed while placing the order (${said}), so it may or may not have gone through.`)
      : new DomainProviderError('unavailable', `Porkbun is having trouble (${said}); try again later.`, true);
  }
  return new DomainProviderError(order ? 'refused' : 'provider_error', `Porkbun refused: ${said}`);
}

function tidy(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim().slice(0, 300);
  return /[.!?]$/.test(text) ? text.slice(0, -1) : text;
}

/** Connection refused or the name not found: the request never reached Porkbun, so nothing was ordered. */
function refusedBeforeSending(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

function yes(value: unknown): boolean {
  return value === true || value === 'yes' || value === 1 || value === '1';
}

/** "9.73" → 973; Porkbun gives prices as decimal strings in USD. */
function cents(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/,/g, '')) : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? Math.round(number * 100) : undefined;
}
