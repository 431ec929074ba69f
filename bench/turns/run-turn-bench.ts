import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SystemClock } from '../../core/index.js';
import { migrate, openEmbedded, openPostgres, PeopleRepo, type Database } from '../../store/index.js';
import { spawnService, startPrivatePostgres, startPrivateRedis, type PrivateServer, type SpawnedService } from '../../test/support/index.js';
import { processCpuMs, processRssBytes, processTreeCpuMs } from './process-cpu.js';
import { STATEMENT_STATS_SETTINGS, StatementStats } from './statement-stats.js';
import { percentile, round, TurnLoad, type PlatformRequest, type TurnLoadResult } from './turn-load.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What one platform contributes to the turn benchmark: its fake, its requests, and its bare bot. */
export interface ChannelBench {
  readonly name: string;
  /** Starts the platform fake; `onReply(chat)` must be called for every message the bot sends to a benchmark chat. */
  startFake(onReply: (chat: number) => void): Promise<{ url: string; stop(): Promise<void> }>;
  /** The service's settings for this platform, given the fake's URL. */
  serviceEnv(fakeUrl: string): Record<string, string>;
  /** The identity of chat `chat`'s person, as the service stores it (`telegram`, `123`). */
  identity(chat: number): { channel: string; externalId: string };
  /** The person's name as the platform sends it (`first_name`, a Slack profile name, a WhatsApp profile name). */
  displayName?(chat: number): string;
  /** The webhook request for chat `chat`'s `sequence`-th message. */
  request(chat: number, sequence: number, text: string): PlatformRequest;
  /** The bare framework's bot: a script run with `node --import tsx` and its settings. */
  bareBot: { script: string; env(fakeUrl: string): Record<string, string>; webhookPath: string };
}

export interface TurnBenchOptions {
  rounds: number;
  roundMs: number;
  connections: number;
  chats: number;
  text: string;
  /** Which service set-ups to measure: PostgreSQL + Redis, the embedded default, or both. */
  stores: ('postgres' | 'embedded')[];
  /** bench:scale: more in the store than the benchmark's people, and what PostgreSQL did per turn. */
  store?: StoreExtras;
}

export interface StoreExtras {
  /** Seeds more (people, conversations, tasks…) after the benchmark's people, before the service starts. */
  seed(db: Database): Promise<void>;
  /** Cumulative counters read from PostgreSQL directly (not counted), when the counters are reset and after the rounds. */
  probe(databaseUrl: string): Promise<Record<string, number>>;
}

export const DEFAULT_TEXT = 'remind me to call acme tomorrow at 10';

interface Measured extends TurnLoadResult {
  cpuMsPerTurn: number;
  /** CPU of the service's own PostgreSQL and Redis servers per turn (they share the machine's cores). */
  storesCpuMsPerTurn?: { postgres: number; redis: number };
}

/** What the JSON holds for one service set-up (read back by the smoke test). */
export interface ServiceFigures {
  rounds: Measured[];
  turnsPerSecond: number;
  webhookMs: { p50: number; p99: number };
  postToReplyMs: { p50: number; p99: number };
  cpuMsPerTurn: number;
  storesCpuMsPerTurn?: { postgres: number; redis: number };
  errors: number;
  /** Same-run ratio to the bare bot: the median over rounds, with the spread. */
  ratioToBare: { median: number; min: number; max: number };
  sqlStatementsPerTurn?: number;
  transactionsPerTurn?: number;
  redisCommandsPerTurn?: number;
  /** The most frequent statements: calls per turn, and the server's time per call (ms) planning and executing it. */
  topStatements?: { text: string; perTurn: number; planMs: number; execMs: number }[];
  rssMb: number;
}

/**
 * Alternating rounds of the bare framework bot and Switchboard against the same platform fake, with
 * unique messages from many chats; figures per round and their medians, as one JSON object.
 */
export async function runTurnBench(channel: ChannelBench, options: TurnBenchOptions): Promise<Record<string, unknown>> {
  let load: TurnLoad | undefined;
  const fake = await channel.startFake((chat) => load?.replied(chat));
  const cleanups: (() => Promise<unknown>)[] = [() => fake.stop()];
  try {
    const bare = await startBareBot(channel, fake.url);
    cleanups.push(() => bare.stop());
    const result: Record<string, unknown> = {
      bench: `bench:${channel.name}`,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, memoryGb: round(os.totalmem() / 2 ** 30, 1) },
      options: { ...options, stores: undefined },
    };
    const bareRounds: Measured[] = [];
    for (const stores of options.stores) {
      const service = await startService(channel, fake.url, stores, options.chats, options.store);
      const serviceRounds: Measured[] = [];
      try {
        // One short warm-up each (JIT, connection pools), not counted.
        await measure(bare.baseUrl, bare.pid, bare.webhookPath, Math.min(1_000, options.roundMs));
        await measure(service.baseUrl, service.pid, service.webhookPath, Math.min(2_000, options.roundMs), service.storesCpuMs);
        await service.resetCounters();
        for (let round = 0; round < options.rounds; round++) {
          bareRounds.push(await measure(bare.baseUrl, bare.pid, bare.webhookPath, options.roundMs));
          serviceRounds.push(await measure(service.baseUrl, service.pid, service.webhookPath, options.roundMs, service.storesCpuMs));
        }
        const counts = await service.counts();
        const turns = serviceRounds.reduce((sum, r) => sum + r.turns, 0);
        const recentBare = bareRounds.slice(-options.rounds);
        const ratios = serviceRounds.map((r, i) => r.turnsPerSecond / Math.max(1e-9, recentBare[i]!.turnsPerSecond));
        const figures: ServiceFigures = {
          rounds: serviceRounds,
          ...summarise(serviceRounds),
          // Not median(): percentile() rounds to 2 decimals, which would make a 0.004 ratio 0.
          ratioToBare: { median: round([...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!, 4), min: round(Math.min(...ratios), 4), max: round(Math.max(...ratios), 4) },
          ...(counts && turns > 0
            ? {
                sqlStatementsPerTurn: round(counts.statements / turns),
                transactionsPerTurn: round(counts.transactions / turns),
                redisCommandsPerTurn: round(counts.redisCommands / turns),
                topStatements: counts.top.slice(0, 40).map(([text, n, planMs, execMs]) => ({
                  text,
                  perTurn: round(n / turns),
                  planMs: round(planMs / Math.max(n, 1), 3),
                  execMs: round(execMs / Math.max(n, 1), 3),
                })),
                ...(counts.store ? { storePerTurn: Object.fromEntries(Object.entries(counts.store).map(([name, n]) => [name, round(n / turns)])) } : {}),
              }
            : {}),
          rssMb: round(processRssBytes(service.pid) / 2 ** 20, 1),
        };
        result[stores === 'postgres' ? 'switchboardPostgresRedis' : 'switchboardEmbedded'] = figures;
      } finally {
        await service.stop();
      }
    }
    result.bare = { rounds: bareRounds, ...summarise(bareRounds) };
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }

  async function measure(
    baseUrl: string,
    pid: number,
    webhookPath: string | undefined,
    durationMs: number,
    storesCpuMs?: () => { postgres: number; redis: number },
  ): Promise<Measured> {
    const cpuBefore = processCpuMs(pid);
    const storesBefore = storesCpuMs?.();
    load = new TurnLoad({
      baseUrl,
      connections: options.connections,
      chats: options.chats,
      durationMs,
      drainMs: 10_000,
      request: (chat, sequence) => {
        const request = channel.request(chat, sequence, options.text);
        return webhookPath ? { ...request, path: webhookPath } : request;
      },
    });
    const measured = await load.run();
    load = undefined;
    const cpu = processCpuMs(pid) - cpuBefore;
    const storesAfter = storesCpuMs?.();
    const perTurn = (ms: number) => (measured.turns ? round(ms / measured.turns, 3) : 0);
    return {
      ...measured,
      cpuMsPerTurn: perTurn(cpu),
      ...(storesBefore && storesAfter
        ? { storesCpuMsPerTurn: { postgres: perTurn(storesAfter.postgres - storesBefore.postgres), redis: perTurn(storesAfter.redis - storesBefore.redis) } }
        : {}),
    };
  }
}

function summarise(rounds: Measured[]) {
  return {
    turnsPerSecond: round(median(rounds.map((r) => r.turnsPerSecond))),
    webhookMs: { p50: round(median(rounds.map((r) => r.webhookMs.p50))), p99: round(median(rounds.map((r) => r.webhookMs.p99))) },
    postToReplyMs: { p50: round(median(rounds.map((r) => r.postToReplyMs.p50))), p99: round(median(rounds.map((r) => r.postToReplyMs.p99))) },
    cpuMsPerTurn: round(median(rounds.map((r) => r.cpuMsPerTurn)), 3),
    ...(rounds.every((r) => r.storesCpuMsPerTurn)
      ? {
          storesCpuMsPerTurn: {
            postgres: round(median(rounds.map((r) => r.storesCpuMsPerTurn!.postgres)), 3),
            redis: round(median(rounds.map((r) => r.storesCpuMsPerTurn!.redis)), 3),
          },
        }
      : {}),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

interface RunningBot {
  baseUrl: string;
  pid: number;
  /** Where the bot takes webhooks, when not where the platform request says (the bare bot's own path). */
  webhookPath?: string;
  stop(): Promise<unknown>;
}

async function startBareBot(channel: ChannelBench, fakeUrl: string): Promise<RunningBot> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', channel.bareBot.script], {
    cwd: ROOT,
    env: { ...process.env, ...channel.bareBot.env(fakeUrl), NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare bot exited with ${code}: ${out}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    webhookPath: channel.bareBot.webhookPath,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : (child.once('exit', resolve), child.kill('SIGTERM')))),
  };
}

interface RunningService extends RunningBot {
  /** CPU ms so far of the service's private PostgreSQL (with its backends) and Redis; absent on the embedded store. */
  storesCpuMs?: () => { postgres: number; redis: number };
  resetCounters(): Promise<void>;
  counts(): Promise<
    | {
        statements: number;
        transactions: number;
        redisCommands: number;
        /** Statement text, calls, and the server's time for all of them (ms): planning, execution. */
        top: [string, number, number, number][];
        store?: Record<string, number>;
      }
    | undefined
  >;
}

/**
 * Switchboard as `npm start` runs it. With PostgreSQL and Redis: servers of the benchmark's own
 * (so counters see only this service), PostgreSQL counting statements itself (pg_stat_statements).
 * Every benchmark chat's person is known (a developer), as on a team that uses the bot.
 */
async function startService(channel: ChannelBench, fakeUrl: string, stores: 'postgres' | 'embedded', chats: number, extras?: StoreExtras): Promise<RunningService> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-'));
  const env: Record<string, string> = {
    ...channel.serviceEnv(fakeUrl),
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    // Each chat speaks again as soon as it is answered: with few chats and fast turns that is more than the
    // flood guard's 20 a minute per person, whose "slow down" (then silence) is not the turn measured.
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '1000000',
  };
  const servers: PrivateServer[] = [];
  let counter: StatementStats | undefined;
  let redis: Redis | undefined;
  let redisBase = 0;
  let directUrl: string | undefined;
  let probeBase: Record<string, number> = {};
  try {
    if (stores === 'postgres') {
      const postgres = await startPrivatePostgres({ settings: STATEMENT_STATS_SETTINGS });
      servers.push(postgres);
      const redisServer = await startPrivateRedis();
      servers.push(redisServer);
      counter = await StatementStats.install(postgres.url);
      const seedDb = await openPostgres({ url: postgres.url, poolSize: 1 });
      await seed(seedDb, channel, chats, extras);
      // The store probes run as the observer, whose queries are not counted as the service's.
      directUrl = counter.observerUrl;
      env.DATABASE_URL = postgres.url;
      env.REDIS_URL = redisServer.url;
      redis = new Redis(redisServer.url);
    } else {
      const seedDb = await openEmbedded({ directory: path.join(dataDir, 'pg'), poolSize: 1 });
      await seed(seedDb, channel, chats, extras);
    }
    // BENCH_CPU_PROFILE=dir writes the service's V8 CPU profile there when it stops (where the time goes).
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const service: SpawnedService = await spawnService(env, 120_000, profile);
    const redisCommands = async () => {
      if (!redis) return 0;
      const info = await redis.info('stats');
      return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
    };
    redisBase = await redisCommands();
    return {
      baseUrl: service.url,
      pid: service.process.pid!,
      ...(stores === 'postgres'
        ? {
            storesCpuMs: () => {
              const [postgresPid, redisPid] = servers.map((server) => server.pid());
              return { postgres: postgresPid ? processTreeCpuMs(postgresPid) : 0, redis: redisPid ? processTreeCpuMs(redisPid) : 0 };
            },
          }
        : {}),
      async resetCounters() {
        await counter?.reset();
        redisBase = (await redisCommands()) + 1;
        if (extras && directUrl) probeBase = await extras.probe(directUrl);
      },
      async counts() {
        if (!counter) return undefined;
        const statements = await counter.counts();
        return {
          statements: statements.statements,
          transactions: statements.transactions,
          // Minus the INFO commands of this benchmark.
          redisCommands: (await redisCommands()) - redisBase - 1,
          top: [...statements.byText.entries()]
            .map(([text, n]): [string, number, number, number] => [text, n, statements.planMsByText.get(text) ?? 0, statements.execMsByText.get(text) ?? 0])
            .sort((a, b) => b[1] - a[1]),
          ...(extras && directUrl ? { store: difference(await extras.probe(directUrl), probeBase) } : {}),
        };
      },
      async stop() {
        await service.stop();
        if (process.env.BENCH_DEBUG) console.error(service.log().split('\n').slice(-40).join('\n'));
        redis?.disconnect();
        await counter?.close();
        for (const server of servers) await server.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    redis?.disconnect();
    await counter?.close();
    for (const server of servers) await server.destroy();
    throw error;
  }
}

/** Every benchmark chat's person, known to the service as a developer (then what `extras` adds). */
async function seed(db: Database, channel: ChannelBench, chats: number, extras?: StoreExtras): Promise<void> {
  try {
    await migrate(db);
    const people = new PeopleRepo(db, new SystemClock());
    for (let chat = 0; chat < chats; chat++) {
      const { channel: name, externalId } = channel.identity(chat);
      const person = await people.grant(name, externalId, 'developer');
      // Named as the platform will name them, so the first message changes nothing about the person.
      if (channel.displayName) await people.setDisplayName(person.id, channel.displayName(chat));
    }
    await extras?.seed(db);
  } finally {
    await db.close();
  }
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

/** Reads `--name value` and `--flag` arguments. */
export function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(arg.slice(2), next);
      i++;
    } else args.set(arg.slice(2), 'true');
  }
  return args;
}

export const HELP = (name: string) => `Usage: npm run bench:${name} [-- options]

Alternating rounds of a bare framework bot and Switchboard against the same local ${name} fake,
unique messages from many chats; prints one JSON object.

  --rounds N        rounds of each (default 3)
  --seconds S       length of one round (default 10)
  --connections N   requests open at once (default 32)
  --chats N         distinct chats (default 500)
  --stores LIST     postgres,embedded (default both)
  --text "…"        the message every chat sends (default "${DEFAULT_TEXT}")
  --smoke           1 round of 2 s, 20 chats, 4 connections (what npm test runs)
`;

export function benchOptions(argv: string[]): TurnBenchOptions | undefined {
  const args = parseArgs(argv);
  if (args.has('help')) return undefined;
  const smoke = args.has('smoke');
  return {
    rounds: Number(args.get('rounds') ?? (smoke ? 1 : 3)),
    roundMs: Number(args.get('seconds') ?? (smoke ? 2 : 10)) * 1000,
    connections: Number(args.get('connections') ?? (smoke ? 4 : 32)),
    chats: Number(args.get('chats') ?? (smoke ? 20 : 500)),
    text: args.get('text') ?? DEFAULT_TEXT,
    stores: (args.get('stores') ?? 'postgres,embedded').split(',') as TurnBenchOptions['stores'],
  };
}
