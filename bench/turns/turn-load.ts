import http from 'node:http';

/** One request the platform would send for a chat's message. */
export interface PlatformRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface TurnLoadOptions {
  /** The receiver's base URL (http://127.0.0.1:port). */
  baseUrl: string;
  /** Requests open at once (Telegram's `max_connections` is 40 by default; the issue measures 32). */
  connections: number;
  chats: number;
  durationMs: number;
  /** Builds the webhook request for chat `chat` (0-based), its `sequence`-th message overall. */
  request(chat: number, sequence: number): PlatformRequest;
  /** How long to wait after the stream for replies still on their way. */
  drainMs?: number;
}

export interface TurnLoadResult {
  /** Turns whose reply reached the platform fake. */
  turns: number;
  posted: number;
  /** Webhook answers other than 2xx (or no answer). */
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
  turnsPerSecond: number;
  webhookMs: { p50: number; p99: number };
  postToReplyMs: { p50: number; p99: number };
}

/**
 * A closed-loop load generator with keep-alive connections: `connections` workers each post the next
 * unique message from a chat that has no message waiting for its reply, so every counted turn is one
 * message and its reply (matched by chat), as a platform would see it. A turn counts only when
 * `replied(chat)` is called, by the platform fake, when the reply arrives.
 *
 * Hand-written rather than autocannon: autocannon measures request/response pairs of identical or
 * scripted requests; a turn here ends when a reply reaches a different server (the platform fake),
 * and each chat may have only one message waiting.
 */
export class TurnLoad {
  private readonly idle: number[] = [];
  private readonly waitingSince = new Map<number, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly webhookTimes: number[] = [];
  private readonly replyTimes: number[] = [];
  private turns = 0;
  private posted = 0;
  private errors = 0;
  private readonly errorSamples: string[] = [];
  private startedAt = 0;
  private lastReplyAt = 0;
  private running = false;

  constructor(private readonly options: TurnLoadOptions) {
    for (let chat = 0; chat < options.chats; chat++) this.idle.push(chat);
  }

  /** Called by the platform fake when a reply to `chat` arrived. */
  replied(chat: number): void {
    const since = this.waitingSince.get(chat);
    if (since === undefined) return; // not ours, or a second message for one turn
    this.waitingSince.delete(chat);
    const now = performance.now();
    if (this.running || now - this.startedAt < this.options.durationMs + (this.options.drainMs ?? 5_000)) {
      this.turns++;
      this.replyTimes.push(now - since);
      this.lastReplyAt = now;
    }
    this.idle.push(chat);
    this.idleWaiters.shift()?.();
  }

  async run(): Promise<TurnLoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: this.options.connections });
    this.startedAt = performance.now();
    this.running = true;
    const deadline = this.startedAt + this.options.durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        const chat = await this.nextIdleChat(deadline);
        if (chat === undefined) break;
        const request = this.options.request(chat, nextSequence++);
        this.waitingSince.set(chat, performance.now());
        const started = performance.now();
        const outcome = await post(agent, this.options.baseUrl, request);
        this.posted++;
        this.webhookTimes.push(performance.now() - started);
        if (outcome !== 'ok') {
          this.errors++;
          if (this.errorSamples.length < 5) this.errorSamples.push(outcome);
          // Not acknowledged: no reply is owed, the chat may speak again.
          this.waitingSince.delete(chat);
          this.idle.push(chat);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.connections }, worker));
    this.running = false;
    const drainUntil = performance.now() + (this.options.drainMs ?? 5_000);
    while (this.waitingSince.size > 0 && performance.now() < drainUntil) await sleep(20);
    agent.destroy();
    const elapsedMs = Math.max(this.lastReplyAt, deadline) - this.startedAt;
    return {
      turns: this.turns,
      posted: this.posted,
      errors: this.errors + this.waitingSince.size,
      errorSamples: this.waitingSince.size ? [...this.errorSamples, `${this.waitingSince.size} acknowledged but not answered in time`] : this.errorSamples,
      elapsedMs: Math.round(elapsedMs),
      turnsPerSecond: round((this.turns * 1000) / elapsedMs),
      webhookMs: { p50: percentile(this.webhookTimes, 0.5), p99: percentile(this.webhookTimes, 0.99) },
      postToReplyMs: { p50: percentile(this.replyTimes, 0.5), p99: percentile(this.replyTimes, 0.99) },
    };
  }

  private async nextIdleChat(deadline: number): Promise<number | undefined> {
    while (this.idle.length === 0) {
      if (performance.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - performance.now())).unref();
      });
    }
    return this.idle.shift();
  }
}

function post(agent: http.Agent, baseUrl: string, request: PlatformRequest): Promise<'ok' | string> {
  return new Promise((resolve) => {
    const body = Buffer.from(request.body);
    const req = http.request(
      `${baseUrl}${request.path}`,
      { method: 'POST', agent, headers: { ...request.headers, 'content-length': String(body.length) }, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? 'ok' : `HTTP ${status}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (error) => resolve(`request failed: ${error.message}`));
    req.end(body);
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Unique across every round of a run: platforms drop an update id they have seen. */
let nextSequence = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
