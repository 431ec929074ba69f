import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from '../loopback-server.js';

/**
 * Porkbun's JSON API v3, the domain endpoints the `porkbun` registrar uses, as a real HTTP server on
 * 127.0.0.1 (porkbun.com/api/json/v3/documentation). Every call is a POST with `apikey` and `secretapikey`
 * in the JSON body; errors are HTTP 400 `{"status":"ERROR","message":"…"}`.
 * - `POST /domain/checkDomain/{domain}` → `response: {avail: "yes"|"no", price, regularPrice, premium,
 *   additional.renewal}` and `limits`; `checkLimit(n, ttlMs)` refuses more than n checks a window (503);
 * - `POST /domain/listAll` (`start`, 1,000 a page) → `domains: [{domain, status, tld, createDate, expireDate, …}]`;
 * - `POST /domain/create/{domain}`: `cost` an integer in cents equal to the current price × years,
 *   `agreeToTerms: "yes"`, the name available; an `Idempotency-Key` seen before returns the first answer and
 *   buys nothing. `delayNextCreate(ms)` completes the order at once but answers late (a client timeout
 *   whose order went through).
 */
export const FAKE_PORKBUN_KEY = 'pk1_fake_porkbun_key_0000000000';
export const FAKE_PORKBUN_SECRET = 'sk1_fake_porkbun_secret_000000000';

export interface FakePrice {
  /** USD, as Porkbun writes it: "9.73". */
  price: string;
  renewal: string;
  premium?: boolean;
}

export interface RecordedPorkbunRequest {
  path: string;
  body: Record<string, unknown> | undefined;
  idempotencyKey: string | undefined;
}

interface Owned {
  domain: string;
  createDate: string;
  expireDate: string;
  cost: number;
  orderId: number;
}

const DEFAULT_PRICES: Record<string, FakePrice> = {
  com: { price: '9.73', renewal: '10.87' },
  net: { price: '11.48', renewal: '12.52' },
  org: { price: '6.88', renewal: '10.74' },
  de: { price: '4.85', renewal: '4.85' },
};

export class PorkbunFake {
  readonly requests: RecordedPorkbunRequest[] = [];
  /** Orders that bought a name (an idempotent repeat does not count). */
  purchases = 0;
  readonly owned = new Map<string, Owned>();
  private readonly prices = new Map<string, FakePrice>(Object.entries(DEFAULT_PRICES));
  private readonly taken = new Set<string>();
  private readonly answered = new Map<string, { status: number; body: unknown }>();
  private createDelayMs = 0;
  private checkWindow: { limit: number; ttlMs: number; times: number[] } | undefined;
  private nextOrderId = 3_000_001;
  private server?: LoopbackServer;

  get url(): string {
    if (!this.server) throw new Error('PorkbunFake not started');
    return `http://127.0.0.1:${this.server.port}/api/json/v3`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** The price of a TLD (`com`) or of one domain (`soarix-demo.com`), from now on. */
  setPrice(tldOrDomain: string, price: FakePrice): this {
    this.prices.set(tldOrDomain, price);
    return this;
  }

  take(domain: string): this {
    this.taken.add(domain);
    return this;
  }

  delayNextCreate(ms: number): this {
    this.createDelayMs = ms;
    return this;
  }

  checkLimit(limit: number, ttlMs: number): this {
    this.checkWindow = { limit, ttlMs, times: [] };
    return this;
  }

  calls(endpoint: 'checkDomain' | 'listAll' | 'create'): RecordedPorkbunRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`/api/json/v3/domain/${endpoint}`));
  }

  private priceOf(domain: string): FakePrice | undefined {
    return this.prices.get(domain) ?? this.prices.get(domain.split('.').slice(1).join('.')) ?? this.prices.get(domain.split('.').at(-1)!);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as Record<string, unknown> | undefined;
    } catch {
      body = undefined;
    }
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    this.requests.push({ path, body: body ?? undefined, idempotencyKey });
    const fail = (message: string, status = 400) => this.send(res, status, { status: 'ERROR', message });
    if (req.method !== 'POST') return fail('All API calls are POST requests.', 405);
    if (!body || typeof body !== 'object') return fail('Invalid JSON in the request body.');
    if (body.apikey !== FAKE_PORKBUN_KEY || body.secretapikey !== FAKE_PORKBUN_SECRET) return fail('Invalid API key. (002)');

    let match: RegExpExecArray | null;
    if ((match = /^\/api\/json\/v3\/domain\/checkDomain\/([^/]+)$/.exec(path))) {
      if (this.checkWindow) {
        const now = Date.now();
        this.checkWindow.times = this.checkWindow.times.filter((t) => now - t < this.checkWindow!.ttlMs);
        if (this.checkWindow.times.length >= this.checkWindow.limit) {
          return fail(`Domain check rate limit exceeded: ${this.checkWindow.limit} check(s) per ${this.checkWindow.ttlMs / 1000} seconds.`, 503);
        }
        this.checkWindow.times.push(now);
      }
      const domain = match[1]!.toLowerCase();
      const price = this.priceOf(domain);
      if (!price) return fail(`The TLD of ${domain} is not supported.`);
      const avail = !this.taken.has(domain) && !this.owned.has(domain);
      return this.send(res, 200, {
        status: 'SUCCESS',
        response: {
          avail: avail ? 'yes' : 'no',
          type: 'registration',
          price: price.price,
          firstYearPromo: 'no',
          regularPrice: price.price,
          premium: price.premium ? 'yes' : 'no',
          additional: {
            renewal: { type: 'renewal', price: price.renewal, regularPrice: price.renewal },
            transfer: { type: 'transfer', price: price.renewal, regularPrice: price.renewal },
          },
        },
        limits: { TTL: '10', limit: '1', used: 1, naturalLanguage: '1 out of 1 checks within 10 seconds used.' },
      });
    }
    if (path === '/api/json/v3/domain/listAll') {
      const start = Number(body.start ?? 0);
      if (!Number.isInteger(start) || start < 0) return fail('Invalid start value.');
      const domains = [...this.owned.values()].slice(start, start + 1000).map((d) => ({
        domain: d.domain,
        status: 'ACTIVE',
        tld: d.domain.split('.').at(-1),
        createDate: d.createDate,
        expireDate: d.expireDate,
        securityLock: '1',
        whoisPrivacy: '1',
        autoRenew: 0,
        notLocal: 0,
      }));
      return this.send(res, 200, { status: 'SUCCESS', domains });
    }
    if ((match = /^\/api\/json\/v3\/domain\/create\/([^/]+)$/.exec(path))) {
      if (idempotencyKey && this.answered.has(idempotencyKey)) {
        const first = this.answered.get(idempotencyKey)!;
        return this.send(res, first.status, first.body);
      }
      const answer = this.create(match[1]!.toLowerCase(), body);
      if (idempotencyKey) this.answered.set(idempotencyKey, answer);
      const delay = this.createDelayMs;
      this.createDelayMs = 0;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
      return this.send(res, answer.status, answer.body);
    }
    return fail(`Unknown endpoint ${path}.`, 404);
  }

  private create(domain: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const error = (message: string) => ({ status: 400, body: { status: 'ERROR', message } });
    if (body.agreeToTerms !== 'yes') return error('You must agree to the terms of service (agreeToTerms: "yes").');
    if (typeof body.cost !== 'number' || !Number.isInteger(body.cost)) return error('cost is required: the price in pennies, as an integer.');
    const years = body.years === undefined ? 1 : Number(body.years);
    if (!Number.isInteger(years) || years < 1 || years > 10) return error('years must be between 1 and 10.');
    const price = this.priceOf(domain);
    if (!price) return error(`The TLD of ${domain} is not supported.`);
    if (this.taken.has(domain) || this.owned.has(domain)) return error(`${domain} is not available for registration.`);
    const expected = Math.round(Number(price.price) * 100) * years;
    if (body.cost !== expected) return error(`The cost you provided (${body.cost}) does not match the current price (${expected}).`);
    const now = new Date();
    const expires = new Date(now);
    expires.setUTCFullYear(expires.getUTCFullYear() + years);
    const orderId = this.nextOrderId++;
    this.owned.set(domain, { domain, createDate: fmt(now), expireDate: fmt(expires), cost: expected, orderId });
    this.purchases++;
    return { status: 200, body: { status: 'SUCCESS', domain, cost: expected, orderId, balance: 10_000 - expected } };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** Porkbun's "2026-03-02 09:00:00". */
function fmt(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}
