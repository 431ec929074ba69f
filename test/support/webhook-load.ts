/**
 * A bounded webhook load driver that behaves like a platform delivering updates: a steady stream of
 * `ratePerSecond` new messages for `durationMs`, each posted until the service acknowledges it
 * with a 2xx. Any other outcome (503, 500, connection refused or reset, no answer within
 * `requestTimeoutMs`) is recorded and the same body is posted again later with backoff, as Telegram,
 * Slack and WhatsApp redeliver an update they could not hand over. Like Telegram (`max_connections`,
 * default 40), it keeps at most `maxConnections` requests open at once; messages that arrive
 * meanwhile wait their turn, so a slow service is not buried under an ever-growing retry storm.
 *
 * Every attempt is recorded with its outcome, so a test can count statuses and tell exactly which
 * messages were acknowledged and when.
 *
 * Hand-written rather than autocannon/k6: those measure throughput of identical requests; here each
 * message has its own body, is retried on its own until acknowledged, and its history is the result.
 *
 * @example
 * const load = new WebhookLoad({ url: () => `${base}/webhooks/telegram`, headers, ratePerSecond: 20, durationMs: 36_000,
 *   message: (i) => ({ key: String(chatId(i)), body: JSON.stringify(update(i)) }) });
 * load.start();
 * await load.streamDone();
 * await load.drain(20_000);
 * load.unacknowledged(); // []
 */

/** What one attempt got: the HTTP status, or what went wrong before a status arrived. */
export type AttemptOutcome = number | 'refused' | 'reset' | 'timeout' | 'error';

export interface Attempt {
  /** Milliseconds since the load started. */
  at: number;
  outcome: AttemptOutcome;
  /** How long the attempt took, in milliseconds. */
  ms: number;
  /** The error text for outcomes without a status. */
  detail?: string;
}

export interface LoadMessage {
  /** Identifies the message in the results (e.g. its chat id). */
  key: string;
  body: string;
}

export interface MessageRecord {
  index: number;
  key: string;
  /** When the message arrived at the platform (ms since the load started); its first attempt may wait for a free connection. */
  arrivedAt: number;
  attempts: Attempt[];
  /** Set once an attempt got a 2xx (ms since the load started). */
  acknowledgedAt?: number;
}

export interface WebhookLoadOptions {
  /** Where to post; read on every attempt, so a test may point it elsewhere. */
  url: () => string;
  headers: Record<string, string>;
  ratePerSecond: number;
  durationMs: number;
  /** Builds message `index` (0-based), once, when it is first sent. */
  message: (index: number) => LoadMessage;
  /** An attempt with no answer by then counts as failed and is retried. Default 10 s. */
  requestTimeoutMs?: number;
  /** Backoff between attempts of one message: doubles from `firstRetryMs` up to `maxRetryMs`, with jitter. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Requests open at once, at most. Default 40 (Telegram's default `max_connections`). */
  maxConnections?: number;
}

export class WebhookLoad {
  readonly records: MessageRecord[] = [];
  private startedAt = 0;
  private stopped = false;
  private streamFinished: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ackWaiters: ((record: MessageRecord) => void)[] = [];
  private openConnections = 0;
  private readonly waitingForConnection: (() => void)[] = [];

  constructor(private readonly options: WebhookLoadOptions) {}

  /** Milliseconds since `start()` (0 before it). */
  elapsed(): number {
    return this.startedAt ? Date.now() - this.startedAt : 0;
  }

  /** Starts the stream; each message is sent at its slot (index / rate), not after the previous answer. */
  start(): this {
    this.startedAt = Date.now();
    const total = Math.round((this.options.ratePerSecond * this.options.durationMs) / 1000);
    const interval = 1000 / this.options.ratePerSecond;
    this.streamFinished = (async () => {
      for (let index = 0; index < total && !this.stopped; index++) {
        const due = this.startedAt + index * interval;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        const { key, body } = this.options.message(index);
        const record: MessageRecord = { index, key, arrivedAt: this.elapsed(), attempts: [] };
        this.records.push(record);
        const delivery = this.deliver(record, body);
        this.inFlight.add(delivery);
        void delivery.finally(() => this.inFlight.delete(delivery));
      }
    })();
    return this;
  }

  /** Resolves when every message of the stream has arrived (its first attempt may still wait for a connection). */
  async streamDone(): Promise<void> {
    await this.streamFinished;
  }

  /**
   * Waits until every message is acknowledged or `timeoutMs` passes, then stops retrying and waits
   * for the attempts still on the wire.
   */
  async drain(timeoutMs: number): Promise<void> {
    await this.streamDone();
    const deadline = Date.now() + timeoutMs;
    while (this.unacknowledged().length > 0 && Date.now() < deadline) await sleep(100);
    this.stop();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops sending: no new messages, no more retries. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Resolves the moment the next message is acknowledged (in the same tick as its 2xx arrives), so
   * a test can act while that message's turn is surely still running on the service.
   */
  nextAcknowledgement(): Promise<MessageRecord> {
    return new Promise((resolve) => this.ackWaiters.push(resolve));
  }

  acknowledged(): MessageRecord[] {
    return this.records.filter((r) => r.acknowledgedAt !== undefined);
  }

  unacknowledged(): MessageRecord[] {
    return this.records.filter((r) => r.acknowledgedAt === undefined);
  }

  allAttempts(): Attempt[] {
    return this.records.flatMap((r) => r.attempts);
  }

  /** How many attempts got each outcome, e.g. `{ '200': 700, '503': 40, refused: 12 }`. */
  outcomeCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const attempt of this.allAttempts()) counts[String(attempt.outcome)] = (counts[String(attempt.outcome)] ?? 0) + 1;
    return counts;
  }

  /** New messages per second arriving at the platform, over the whole stream: the rate offered. */
  offeredRate(): { messages: number; seconds: number; perSecond: number } {
    return rate(this.records.map((r) => r.arrivedAt));
  }

  /** First attempts per second: the rate the service was actually sent new messages at. */
  deliveredRate(): { messages: number; seconds: number; perSecond: number } {
    return rate(this.records.map((r) => r.attempts[0]?.at).filter((at): at is number => at !== undefined));
  }

  private async deliver(record: MessageRecord, body: string): Promise<void> {
    const first = this.options.firstRetryMs ?? 500;
    const max = this.options.maxRetryMs ?? 4_000;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(body);
      // Stopped while it waited for a connection: the platform gave up on it before sending.
      if (!outcome) return;
      record.attempts.push(outcome);
      if (typeof outcome.outcome === 'number' && outcome.outcome >= 200 && outcome.outcome < 300) {
        record.acknowledgedAt = outcome.at;
        for (const waiter of this.ackWaiters.splice(0)) waiter(record);
        return;
      }
      if (this.stopped) return;
      const backoff = Math.min(first * 2 ** attempt, max);
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
      if (this.stopped) return;
    }
  }

  private async attempt(body: string): Promise<Attempt | undefined> {
    await this.connection();
    try {
      if (this.stopped) return undefined;
      return await this.post(body);
    } finally {
      // The connection passes straight to the next waiter, if any.
      const next = this.waitingForConnection.shift();
      if (next) next();
      else this.openConnections--;
    }
  }

  /** Waits for one of the `maxConnections` (first come, first served). */
  private async connection(): Promise<void> {
    if (this.openConnections < (this.options.maxConnections ?? 40)) {
      this.openConnections++;
      return;
    }
    await new Promise<void>((resolve) => this.waitingForConnection.push(resolve));
  }

  private async post(body: string): Promise<Attempt> {
    const at = this.elapsed();
    const started = Date.now();
    const timeout = this.options.requestTimeoutMs ?? 10_000;
    try {
      const response = await fetch(this.options.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body,
        signal: AbortSignal.timeout(timeout),
      });
      // Read the body so the connection is released back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      return { at, outcome: response.status, ms: Date.now() - started };
    } catch (error) {
      return { at, outcome: classify(error), ms: Date.now() - started, detail: describe(error) };
    }
  }
}

function rate(times: number[]): { messages: number; seconds: number; perSecond: number } {
  if (times.length < 2) return { messages: times.length, seconds: 0, perSecond: 0 };
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return { messages: times.length, seconds, perSecond: (times.length - 1) / seconds };
}

function classify(error: unknown): AttemptOutcome {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'reset';
  return 'error';
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' <- ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
