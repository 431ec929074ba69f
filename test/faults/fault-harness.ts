import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { TelegramFake, type SentMessage } from '../support/fakes/telegram/index.js';
import { freePort, startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../support/private-servers.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { WebhookLoad, type MessageRecord } from '../support/webhook-load.js';
import { SlowPlatform } from './slow-platform.js';

/**
 * What the fault tests share: the real service spawned as `npm start` runs it, on a fixed port (so a
 * replacement process after a SIGKILL serves the same webhook URL, as behind a real deployment),
 * receiving Telegram webhooks from a steady stream and replying through the Telegram Bot API fake;
 * `/ready` polled throughout; and the checks made afterwards.
 */

export const TELEGRAM_SECRET = 'tg_fault-secret-0123456789';
/** The stream every fault test runs: ≥ 20 messages/s for ≥ 30 s, as issue 9 asks. */
export const RATE_PER_SECOND = 20;
export const STREAM_MS = 36_000;
/** Every chat says this; the offline agent answers a greeting at once, without any tool. */
export const GREETING = 'hi';
/** The apology the pipeline sends when a turn fails: a reply, but not an answer. */
export const APOLOGY = /^Sorry, something went wrong on my side/;

/** The answer to GREETING from chat `index`: addressed to that chat's own user (see `telegramLoad`). */
export function greetingFor(index: number): RegExp {
  return new RegExp(`^Hello, Load${index}! I'm Switchboard`);
}

/** Runs cleanups in reverse order, each even if an earlier one failed. */
export class Cleanups {
  private readonly steps: { what: string; run: () => Promise<unknown> | unknown }[] = [];
  add(what: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, run });
  }
  async run(): Promise<void> {
    const errors: string[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        errors.push(`${step.what}: ${String(error)}`);
      }
    }
    if (errors.length) console.warn(`[fault tests] cleanup problems:\n${errors.join('\n')}`);
  }
}

// --- the service ---

export interface ExitRecord {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms since the stream started (0 before it). */
  at: number;
  /** Whether the test caused it (SIGKILL, or the stop at the end). */
  expected: boolean;
}

const live = new Set<SpawnedService>();
// A test worker that dies before afterAll must not leave a service running behind it.
process.once('exit', () => {
  for (const service of live) if (service.process.exitCode === null) service.process.kill('SIGKILL');
});

/** One process of the service, with its exit recorded. */
export class ServiceProcess {
  exit: ExitRecord | undefined;
  private expectExit = false;

  private constructor(
    readonly spawned: SpawnedService,
    private readonly clock: () => number,
  ) {
    live.add(spawned);
    spawned.process.once('exit', (code, signal) => {
      live.delete(spawned);
      this.exit = { pid: spawned.process.pid, code, signal, at: this.clock(), expected: this.expectExit };
    });
  }

  static async start(env: Record<string, string>, clock: () => number): Promise<ServiceProcess> {
    return new ServiceProcess(await spawnService(env), clock);
  }

  get pid(): number | undefined {
    return this.spawned.process.pid;
  }

  get running(): boolean {
    return this.spawned.process.exitCode === null && this.spawned.process.signalCode === null;
  }

  log(): string {
    return this.spawned.log();
  }

  /** kill -9: no chance to drain, release locks or claims. */
  async kill(): Promise<void> {
    this.expectExit = true;
    const exited = new Promise((resolve) => (this.running ? this.spawned.process.once('exit', resolve) : resolve(undefined)));
    this.spawned.process.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL if it has not stopped within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.expectExit = true;
    if (!this.running) return;
    const timer = setTimeout(() => this.spawned.process.kill('SIGKILL'), graceMs);
    await this.spawned.stop();
    clearTimeout(timer);
  }
}

/** The service's settings for a fault run; `apiRoot` is where it reaches the Bot API (the fake, or a proxy in front of it). */
export function serviceEnv(options: { port: number; databaseUrl: string; redisUrl: string; telegram: TelegramFake; apiRoot: string; dataDir: string }): Record<string, string> {
  return {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    TELEGRAM_BOT_TOKEN: options.telegram.token,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: options.apiRoot,
    TELEGRAM_MODE: 'webhook',
    // Claims and turn locks of a dead process expire after this. The default (120 s) is longer than
    // the whole test; 10 s keeps the run short while staying far above one "hi" turn (~50 ms).
    TURN_LOCK_TTL_MS: '10000',
  };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// --- /ready, polled all along ---

export interface ReadySample {
  /** When the poll was sent, in ms since the load started. */
  at: number;
  /** When its answer (or failure) came. */
  doneAt: number;
  outcome: number | 'refused' | 'timeout' | 'error';
  stores?: Record<string, boolean>;
}

export class ReadyPoller {
  readonly samples: ReadySample[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly clock: () => number,
    private readonly everyMs = 250,
  ) {}

  start(): this {
    this.loop = (async () => {
      while (!this.stopped) {
        const at = this.clock();
        const outcome = await this.probe();
        this.samples.push({ at, doneAt: this.clock(), ...outcome });
        await new Promise((resolve) => setTimeout(resolve, this.everyMs));
      }
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  between(from: number, to: number): ReadySample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }

  /** Compact history: runs of the same answer, e.g. `[0.0s..9.8s] 200 {"durable":true,"hot":true} ×40`. */
  summary(): string[] {
    const lines: string[] = [];
    let run: { from: number; to: number; label: string; count: number } | undefined;
    for (const sample of this.samples) {
      const label = `${sample.outcome}${sample.stores ? ` ${JSON.stringify(sample.stores)}` : ''}`;
      if (run && run.label === label) {
        run.to = sample.at;
        run.count++;
      } else {
        if (run) lines.push(formatRun(run));
        run = { from: sample.at, to: sample.at, label, count: 1 };
      }
    }
    if (run) lines.push(formatRun(run));
    return lines;
  }

  private async probe(): Promise<Omit<ReadySample, 'at' | 'doneAt'>> {
    try {
      const response = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(3_000) });
      const body = (await response.json().catch(() => ({}))) as { stores?: Record<string, boolean> };
      return { outcome: response.status, ...(body.stores ? { stores: body.stores } : {}) };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') return { outcome: 'timeout' };
      return { outcome: /ECONNREFUSED/.test(String((error as { cause?: unknown }).cause)) ? 'refused' : 'error' };
    }
  }
}

function formatRun(run: { from: number; to: number; label: string; count: number }): string {
  return `[${(run.from / 1000).toFixed(1)}s..${(run.to / 1000).toFixed(1)}s] ${run.label} ×${run.count}`;
}

/** Whether a sample says "ready" with every store up. */
export function isReady(sample: ReadySample): boolean {
  return sample.outcome === 200 && !!sample.stores && Object.values(sample.stores).every(Boolean);
}

/** Whether a sample says "not ready" (503) naming exactly the stores matching `down` as down. */
export function reportsDown(sample: ReadySample, down: RegExp): boolean {
  if (sample.outcome !== 503 || !sample.stores) return false;
  const names = Object.entries(sample.stores);
  const failing = names.filter(([, up]) => !up).map(([name]) => name);
  return failing.length > 0 && failing.every((name) => down.test(name)) && names.some(([name]) => down.test(name));
}

// --- the stream of Telegram messages ---

/** Chat (and user) id of message `index`: one private chat per message, so replies map to messages. */
const CHAT_BASE = 700_000_000;
export function chatIdOf(index: number): number {
  return CHAT_BASE + index;
}

export function telegramLoad(fake: TelegramFake, url: string): WebhookLoad {
  return new WebhookLoad({
    url: () => `${url}/webhooks/telegram`,
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    ratePerSecond: RATE_PER_SECOND,
    durationMs: STREAM_MS,
    message: (index) => {
      const user = TelegramFake.user(chatIdOf(index), `Load${index}`);
      const update = fake.message({ chat: TelegramFake.privateChat(user), from: user, text: GREETING });
      return { key: String(chatIdOf(index)), body: JSON.stringify(update) };
    },
  });
}

// --- afterwards ---

export interface ReplyReport {
  acknowledged: number;
  /** Acknowledged messages with no reply at all. */
  unanswered: string[];
  /** Acknowledged messages with more than one reply: chat → count. */
  duplicated: Record<string, number>;
  /** Replies that are the apology rather than an answer. */
  apologies: string[];
  /** Replies that are not the greeting for that chat's own user (wrong person, or another text). */
  misaddressed: string[];
  /** Replies to chats whose message was never acknowledged (stored, but the 2xx was lost). */
  strays: string[];
  /** Distinct reply texts (first 60 characters), to see what the agent said. */
  texts: Record<string, number>;
}

export function replyReport(load: WebhookLoad, fake: TelegramFake): ReplyReport {
  const byChat = new Map<string, SentMessage[]>();
  for (const sent of fake.sent) {
    const key = String(sent.chat_id);
    byChat.set(key, [...(byChat.get(key) ?? []), sent]);
  }
  const acked = new Set(load.acknowledged().map((r) => r.key));
  const report: ReplyReport = { acknowledged: acked.size, unanswered: [], duplicated: {}, apologies: [], misaddressed: [], strays: [], texts: {} };
  for (const key of acked) {
    const replies = byChat.get(key) ?? [];
    if (replies.length === 0) report.unanswered.push(key);
    if (replies.length > 1) report.duplicated[key] = replies.length;
  }
  for (const [key, replies] of byChat) {
    if (!acked.has(key)) report.strays.push(key);
    for (const reply of replies) {
      if (APOLOGY.test(reply.text)) report.apologies.push(key);
      else if (!greetingFor(Number(key) - CHAT_BASE).test(reply.text)) report.misaddressed.push(`${key}: ${reply.text.slice(0, 60)}`);
      // Names vary per chat; count the wording.
      const text = reply.text.replace(/Load\d+/, 'Load<n>').slice(0, 60);
      report.texts[text] = (report.texts[text] ?? 0) + 1;
    }
  }
  return report;
}

/**
 * Waits until every acknowledged message has a reply and the service has nothing left in flight
 * (`idle`), or `timeoutMs`; then `quietMs` more. Waiting for the store to be idle, not only for one
 * reply each, is what lets a late duplicate (a send repeated after a lease ran out) be seen.
 */
export async function settleReplies(load: WebhookLoad, fake: TelegramFake, idle: () => Promise<boolean>, timeoutMs: number, quietMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (replyReport(load, fake).unanswered.length > 0 || !(await idle()))) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, quietMs));
}

/**
 * Whether the service's store holds nothing still to do: no inbound message waiting for its turn,
 * no outbound one pending or being sent (statuses of the messages table, see store/durable/migrations.ts).
 */
async function storeIdle(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM messages WHERE (direction = 'in' AND status = 'received') OR (direction = 'out' AND status IN ('pending', 'sending'))`,
    );
    return Number(rows[0]!.n) === 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Attempts in a time window (ms since the load started), by outcome. */
export function outcomesBetween(records: MessageRecord[], from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of records.flatMap((r) => r.attempts)) {
    if (attempt.at < from || attempt.at > to) continue;
    counts[String(attempt.outcome)] = (counts[String(attempt.outcome)] ?? 0) + 1;
  }
  return counts;
}

/** Log lines worth showing when a check fails: errors, fatal, and the messages that name a failure. */
export function interestingLog(log: string, limit = 30): string {
  const lines = log.split('\n').filter((line) => /"level":(50|60)|uncaught|unhandled|terminated|ECONNREFUSED|StoreError|store_/i.test(line));
  const counts = new Map<string, number>();
  for (const line of lines) {
    const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
    const err = /"message":"([^"]{0,160})/.exec(line)?.[1] ?? '';
    const key = `${msg} | ${err}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].slice(0, limit).map(([key, count]) => `${count}× ${key}`).join('\n');
}

// --- one run: stores, fake, service, stream, fault ---

export interface FaultScenario {
  postgres: PrivateServer;
  redis: PrivateServer;
  fake: TelegramFake;
  /** The latency proxy the service reaches the fake through. */
  platform: SlowPlatform;
  load: WebhookLoad;
  ready: ReadyPoller;
  /** Every process of the service started in this run, in order. */
  services: ServiceProcess[];
  /** The webhook's base URL (the same for every process: a fixed port). */
  url: string;
  /** Named moments of the run, in ms since the stream started (e.g. `down`, `up`). */
  marks: Record<string, number>;
  /** After the run: the stored messages of the chats that failed a check, one JSON line each. */
  storedRows: string[];
  /** Starts another process of the service on the same port and stores. */
  startService(): Promise<ServiceProcess>;
  /** Resolves at `ms` since the stream started. */
  at(ms: number): Promise<void>;
  mark(name: string): void;
}

export interface ScenarioTiming {
  /** After the stream, how long unacknowledged messages are still redelivered. */
  drainMs: number;
  /**
   * Then, how long acknowledged messages may take to get their reply and the store to have nothing
   * in flight. Longer than the outbox lease (bot/outbox: attempt timeout 30 s + 10 s), so sends a
   * killed process left mid-way are settled, and a blind repeat of them would be seen.
   */
  settleMs: number;
}

export const DEFAULT_TIMING: ScenarioTiming = { drainMs: 20_000, settleMs: 30_000 };

/**
 * Starts private PostgreSQL and Redis, the Telegram fake and the service; runs the stream with
 * `fault` alongside it; redelivers what was not acknowledged; waits for the replies to settle.
 * Everything started is registered in `cleanups` as soon as it exists.
 */
export async function runFaultScenario(
  cleanups: Cleanups,
  fault: (scenario: FaultScenario) => Promise<void>,
  timing: ScenarioTiming = DEFAULT_TIMING,
): Promise<FaultScenario> {
  const postgres = await startPrivatePostgres();
  cleanups.add('private PostgreSQL', () => postgres.destroy());
  const redis = await startPrivateRedis();
  cleanups.add('private Redis', () => redis.destroy());
  const fake = await new TelegramFake().start();
  cleanups.add('Telegram fake', () => fake.stop());
  const platform = await new SlowPlatform(fake.url).start();
  cleanups.add('platform latency proxy', () => platform.stop());
  const dataDir = tempDir('sb-fault-data-');
  cleanups.add('data folder', () => dataDir.remove());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = serviceEnv({ port, databaseUrl: postgres.url, redisUrl: redis.url, telegram: fake, apiRoot: platform.url, dataDir: dataDir.path });

  const load = telegramLoad(fake, url);
  const clock = () => load.elapsed();
  const services: ServiceProcess[] = [];
  const startService = async () => {
    const service = await ServiceProcess.start(env, clock);
    services.push(service);
    cleanups.add(`service pid ${service.pid}`, () => service.stop());
    return service;
  };
  await startService();
  const ready = new ReadyPoller(url, clock);
  const marks: Record<string, number> = {};
  const scenario: FaultScenario = {
    postgres,
    redis,
    fake,
    platform,
    load,
    ready,
    services,
    url,
    marks,
    storedRows: [],
    startService,
    at: async (ms) => {
      const wait = ms - load.elapsed();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
    mark: (name) => {
      marks[name] = load.elapsed();
    },
  };

  load.start();
  cleanups.add('load', () => load.stop());
  ready.start();
  cleanups.add('ready poller', () => ready.stop());
  await Promise.all([fault(scenario), load.streamDone()]);
  scenario.mark('streamEnd');
  await load.drain(timing.drainMs);
  scenario.mark('drained');
  await settleReplies(load, fake, () => storeIdle(postgres.url), timing.settleMs);
  scenario.mark('settled');
  await ready.stop();
  scenario.storedRows = await storedRowsOfFailures(scenario).catch((error: unknown) => [`(could not read the stored rows: ${String(error)})`]);
  return scenario;
}

/**
 * The stored messages of the chats that failed a check (unanswered, duplicated, apologised), read
 * from the private PostgreSQL after the run: evidence of where each one stopped.
 */
async function storedRowsOfFailures(scenario: FaultScenario): Promise<string[]> {
  const report = replyReport(scenario.load, scenario.fake);
  const chats = [...new Set([...report.unanswered, ...Object.keys(report.duplicated), ...report.apologies])].slice(0, 10);
  if (chats.length === 0) return [];
  const client = new pg.Client({ connectionString: scenario.postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT c.external_id AS chat, m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'telegram' AND c.external_id = ANY($1) ORDER BY c.external_id, m.seq`,
      [chats],
    );
    return rows.map((row: Record<string, unknown>) => {
      const { payload: _payload, conversation_id: _conversation, id: _id, person_id: _person, in_reply_to: _inReplyTo, ...rest } = row;
      return JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'string' && value.length > 50 ? `${value.slice(0, 50)}…` : value));
    });
  } finally {
    await client.end();
  }
}

/** Everything a failing check needs, in one printable block. */
export function describeRun(scenario: FaultScenario, label: string): string {
  const { load, fake, ready, services, marks } = scenario;
  // The whole log of each process, kept for whoever reads a failure (the summary below is grouped).
  const logDir = path.join(os.tmpdir(), 'switchboard-fault-logs');
  mkdirSync(logDir, { recursive: true });
  const logFiles = services.map((s) => {
    const file = path.join(logDir, `${label}-${s.pid}.log`);
    writeFileSync(file, s.log());
    return file;
  });
  const report = replyReport(load, fake);
  const rate = load.offeredRate();
  const delivered = load.deliveredRate();
  return [
    `marks (s): ${Object.entries(marks).map(([k, v]) => `${k}=${(v / 1000).toFixed(1)}`).join(' ')}`,
    `stream: ${rate.messages} messages over ${rate.seconds.toFixed(1)} s (${rate.perSecond.toFixed(1)}/s arriving, first attempts ${delivered.perSecond.toFixed(1)}/s); acknowledged ${load.acknowledged().length}, never acknowledged ${load.unacknowledged().length}`,
    `attempt outcomes: ${JSON.stringify(load.outcomeCounts())}`,
    `replies: unanswered ${report.unanswered.length}, duplicated ${Object.keys(report.duplicated).length}, apologies ${report.apologies.length}, misaddressed ${report.misaddressed.length}, strays ${report.strays.length}`,
    `reply texts: ${JSON.stringify(report.texts)}`,
    `sendMessage calls by status: ${JSON.stringify(Object.fromEntries(countBy(fake.callsTo('sendMessage').map((c) => String(c.status)))))}; accepted by the platform after the caller had gone: ${scenario.platform.forwardedToNobody}`,
    `processes: ${services.map((s) => `pid ${s.pid} ${s.exit ? `exited code=${s.exit.code} signal=${s.exit.signal} at ${(s.exit.at / 1000).toFixed(1)}s${s.exit.expected ? ' (by the test)' : ''}` : 'running'}`).join('; ')}`,
    `/ready:\n  ${ready.summary().join('\n  ')}`,
    ...(scenario.storedRows.length ? [`stored messages of chats that failed a check:\n  ${scenario.storedRows.join('\n  ')}`] : []),
    ...services.map((s, i) => `log of pid ${s.pid} (${logFiles[i]}), errors grouped:\n${interestingLog(s.log())}`),
  ].join('\n');
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

// --- the checks every fault test makes ---

/** A count and the first few examples: short enough to read in a failure message. */
export function sample<T>(items: T[]): { count: number; first: T[] } {
  return { count: items.length, first: items.slice(0, 5) };
}

/** The stream was what issue 9 asks for: ≥ 20 new messages a second for ≥ 30 s. */
export function expectSteadyStream(scenario: FaultScenario): void {
  const rate = scenario.load.offeredRate();
  expect(rate.seconds, 'the stream lasted at least 30 s').toBeGreaterThanOrEqual(30);
  expect(rate.perSecond, 'the stream offered at least 20 new messages a second').toBeGreaterThanOrEqual(RATE_PER_SECOND - 0.5);
}

/**
 * Acknowledged means answered exactly once: every message the service acknowledged has exactly one
 * reply at the platform, and it is the answer for that chat's own sender (not the apology, not
 * someone else's). Redelivery (as platforms do) gets every message acknowledged in the end.
 */
export function expectAnsweredExactlyOnce(scenario: FaultScenario): void {
  const report = replyReport(scenario.load, scenario.fake);
  const never = scenario.load.unacknowledged().map((r) => `${r.key}: ${r.attempts.map((a) => a.outcome).join(',')}`);
  expect.soft(sample(never), 'messages never acknowledged, though redelivered until the end').toEqual({ count: 0, first: [] });
  expect.soft(sample(report.unanswered), 'acknowledged messages with no reply').toEqual({ count: 0, first: [] });
  expect.soft(sample(Object.entries(report.duplicated)), 'acknowledged messages answered more than once (chat, replies)').toEqual({ count: 0, first: [] });
  expect.soft(sample(report.apologies), 'replies that are the apology instead of the answer').toEqual({ count: 0, first: [] });
  expect.soft(sample(report.misaddressed), 'replies that are not the greeting for that chat\'s sender').toEqual({ count: 0, first: [] });
  // A message stored but whose acknowledgement was lost (timeout, kill) may be answered without
  // ever being acknowledged: allowed, but never twice.
  const twice = [...countBy(scenario.fake.sent.map((m) => String(m.chat_id))).entries()].filter(([, n]) => n > 1);
  expect.soft(sample(twice), 'chats (acknowledged or not) that got more than one reply').toEqual({ count: 0, first: [] });
}

/** Webhook answers that are 5xx but not 503 (a 503 tells the platform to retry; a 500 is a bug). */
export function serverErrors(scenario: FaultScenario): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of scenario.load.allAttempts()) {
    if (typeof attempt.outcome === 'number' && attempt.outcome >= 500 && attempt.outcome !== 503) {
      counts[String(attempt.outcome)] = (counts[String(attempt.outcome)] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Attempts that got no HTTP answer at all (the service was not there, or hung), among those that
 * started and ended within `[from, to]` (ms since the stream started), with when and why.
 */
export function noAnswers(scenario: FaultScenario, from = -Infinity, to = Infinity): string[] {
  return scenario.load
    .allAttempts()
    .filter((a) => typeof a.outcome !== 'number' && a.at >= from && a.at + a.ms <= to)
    .map((a) => `${(a.at / 1000).toFixed(1)}s ${a.outcome}${a.detail ? ` (${a.detail.slice(0, 80)})` : ''}`);
}

/**
 * /ready told the truth all along: ready before the first fault, 503 naming only the store that
 * was taken away during each outage (`[down, up]` in ms since the stream started), ready again
 * within 10 s of each return, ready at the end, and it answered every poll.
 */
export function expectReadyReportsOutages(scenario: FaultScenario, store: RegExp, outages: [number, number][]): void {
  const { ready } = scenario;
  const history = `\n${ready.summary().join('\n')}`;
  const before = ready.samples.filter((s) => s.doneAt < outages[0]![0]);
  expect.soft(before.length > 0 && before.every(isReady), `/ready said ready with every store up before the fault:${history}`).toBe(true);
  for (const [down, up] of outages) {
    const outage = ready.between(down, up);
    expect.soft(outage.some((s) => reportsDown(s, store)), `/ready answered 503 naming only ${store} as down between ${down} and ${up} ms:${history}`).toBe(true);
    const recovered = ready.samples.find((s) => s.at > up && isReady(s));
    expect.soft(recovered !== undefined && recovered.at - up < 10_000, `/ready said ready again within 10 s of the store's return at ${up} ms:${history}`).toBe(true);
  }
  const unanswered = ready.samples.filter((s) => typeof s.outcome !== 'number').map((s) => `${(s.at / 1000).toFixed(1)}s ${s.outcome}`);
  expect.soft(sample(unanswered), '/ready answered every poll (no refusal, no 3 s timeout)').toEqual({ count: 0, first: [] });
  expect.soft(isReady(ready.samples.at(-1)!), `/ready said ready at the end:${history}`).toBe(true);
}
