/**
 * Memory kept per conversation: the service (PostgreSQL + Redis, then the embedded default) with many
 * Telegram conversations each left in the middle of a dialog, half waiting for a typed confirmation
 * ("deploy soarix-web to production") and half for a slot answer ("remind me"). RSS of the service
 * before, right after, and after an idle wait.
 *
 *   npm run bench:memory [-- --conversations 10000 --warm-up 1000 --idle 30 --stores postgres,embedded --connections 32]
 *
 * Prints one JSON object. Target (issue 13): growth ≤ 50 MB; nothing per conversation kept in
 * process beyond bounded caches. BENCH_HEAP_SNAPSHOTS=dir writes a heap snapshot of the service
 * before and after (SIGUSR2, `--heapsnapshot-signal`) to compare in Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../core/index.js';
import { migrate, openEmbedded, openPostgres, PeopleRepo, type Database } from '../store/index.js';
import { TelegramFake } from '../test/support/fakes/telegram/index.js';
import { spawnService, startPrivatePostgres, startPrivateRedis, type PrivateServer, type SpawnedService } from '../test/support/index.js';
import { parseArgs, processRssBytes } from './turns/index.js';

const SECRET = 'tg_bench-memory-secret-0123';
/** Chat ids of the benchmark's people, far from the tests' own. */
const chatId = (chat: number) => 910_000_000 + chat;
/** Even chats leave a confirmation pending, odd ones a slot question. */
const MESSAGES = ['deploy soarix-web to production', 'remind me'];
const TARGET_GROWTH_MB = 50;
/**
 * Conversations driven, at the same concurrency, before "before" is read: code paths loaded and compiled,
 * pools filled, and the heap and allocator sized for this load, so that the growth measured after is what
 * the conversations leave behind rather than the working set of serving 32 requests at once (with a
 * warm-up of 20, RSS grew by ~160 MB while the JS heap after a full GC grew by 5 MB).
 */
const DEFAULT_WARM_UP = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log('Usage: npm run bench:memory [-- --conversations N --warm-up N --idle S --stores postgres,embedded --connections N]');
} else {
  const options = {
    conversations: Number(args.get('conversations') ?? 10_000),
    warmUp: Number(args.get('warm-up') ?? DEFAULT_WARM_UP),
    idleMs: Number(args.get('idle') ?? 30) * 1000,
    connections: Number(args.get('connections') ?? 32),
    stores: (args.get('stores') ?? 'postgres,embedded').split(',') as ('postgres' | 'embedded')[],
  };
  const result: Record<string, unknown> = {
    bench: 'bench:memory',
    machine: { cpus: os.cpus().length, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    options: { ...options, stores: undefined },
  };
  for (const stores of options.stores) result[stores === 'postgres' ? 'postgresRedis' : 'embedded'] = await measure(stores, options);
  console.log(JSON.stringify(result, null, 2));
}

async function measure(stores: 'postgres' | 'embedded', options: { conversations: number; warmUp: number; idleMs: number; connections: number }) {
  const { warmUp } = options;
  const fake = await new TelegramFake().start();
  const waiting = new Map<number, (reply: string) => void>();
  fake.onSent.push((message) => waiting.get(Number(message.chat_id))?.(String(message.text)));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-memory-'));
  const servers: PrivateServer[] = [];
  let service: SpawnedService | undefined;
  try {
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      APPS: 'soarix-web,marketing-site',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_MODE: 'webhook',
      LOG_LEVEL: 'warn',
    };
    if (stores === 'postgres') {
      const postgres = await startPrivatePostgres();
      servers.push(postgres);
      const redis = await startPrivateRedis();
      servers.push(redis);
      await seed(await openPostgres({ url: postgres.url, poolSize: 4 }), warmUp + options.conversations);
      Object.assign(env, { DATABASE_URL: postgres.url, REDIS_URL: redis.url });
    } else {
      await seed(await openEmbedded({ directory: path.join(dataDir, 'pg') }), warmUp + options.conversations);
    }
    const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
    // Without snapshots, the probe (bench/memory-probe.mjs) reports the JS heap before and after a full GC on SIGUSR2.
    const probeFile = path.join(dataDir, 'memory-probe.json');
    const nodeArgs = snapshots
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`]
      : ['--expose-gc', '--import', path.join(import.meta.dirname, 'memory-probe.mjs')];
    service = await spawnService({ ...env, LOG_LEVEL: 'info', BENCH_MEMORY_PROBE_FILE: probeFile }, 180_000, nodeArgs);
    const pid = service.process.pid!;
    await drive(service.url, waiting, 0, warmUp, options.connections);
    await sleep(2_000);
    const before = processRssBytes(pid);
    const heapBefore = snapshots ? undefined : await probe(pid, probeFile);
    if (snapshots) await snapshot(pid, snapshots);
    const started = performance.now();
    const driven = await drive(service.url, waiting, warmUp, warmUp + options.conversations, options.connections);
    const driveMs = performance.now() - started;
    const after = processRssBytes(pid);
    await sleep(options.idleMs);
    const idle = processRssBytes(pid);
    const heapAfter = snapshots ? undefined : await probe(pid, probeFile);
    const rssAfterGc = processRssBytes(pid);
    if (snapshots) await snapshot(pid, snapshots);
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return {
      conversations: options.conversations,
      warmUpConversations: warmUp,
      answered: driven.answered,
      errors: driven.errors,
      errorSamples: driven.samples,
      turnsPerSecond: Math.round((driven.answered * 1000) / driveMs),
      rssMb: { before: mb(before), after: mb(after), afterIdle: mb(idle), afterIdleAndGc: mb(rssAfterGc) },
      growthMb: { after: mb(after - before), afterIdle: mb(idle - before), target: TARGET_GROWTH_MB },
      // The JS heap after a full GC: what the process really keeps (per conversation, divided by their number).
      ...(heapBefore && heapAfter
        ? {
            heapUsedAfterGcMb: { before: mb(heapBefore.afterGc.heapUsed), afterIdle: mb(heapAfter.afterGc.heapUsed), growth: mb(heapAfter.afterGc.heapUsed - heapBefore.afterGc.heapUsed) },
            // What V8 holds committed for the heap: RSS growth beyond it is native memory (malloc arenas, WebAssembly).
            heapTotalAfterGcMb: { before: mb(heapBefore.afterGc.heapTotal), afterIdle: mb(heapAfter.afterGc.heapTotal) },
            externalAfterGcMb: { before: mb(heapBefore.afterGc.external), afterIdle: mb(heapAfter.afterGc.external) },
            retainedBytesPerConversation: Math.round((heapAfter.afterGc.heapUsed - heapBefore.afterGc.heapUsed) / options.conversations),
          }
        : {}),
      replySamples: driven.replies,
    };
  } finally {
    await service?.stop();
    await fake.stop();
    for (const server of servers) await server.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every benchmark chat's person, known as a developer (deploys to production wait for the typed phrase). */
async function seed(db: Database, people: number): Promise<void> {
  try {
    await migrate(db);
    const repo = new PeopleRepo(db, new SystemClock());
    for (let chat = 0; chat < people; chat++) await repo.grant('telegram', String(chatId(chat)), 'developer');
  } finally {
    await db.close();
  }
}

/** One message from each chat in [from, to), `connections` at a time; each turn ends when its reply reached the fake. */
async function drive(baseUrl: string, waiting: Map<number, (reply: string) => void>, from: number, to: number, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = from;
  let answered = 0;
  let errors = 0;
  const samples: string[] = [];
  const replies: Record<string, string> = {};
  const worker = async () => {
    while (next < to) {
      const chat = next++;
      const id = chatId(chat);
      const text = MESSAGES[chat % 2]!;
      const replied = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        waiting.set(id, (reply) => {
          replies[text] ??= reply.slice(0, 200);
          clearTimeout(timer);
          resolve(true);
        });
      });
      const update = {
        update_id: 2_000_000 + chat,
        message: {
          message_id: 1,
          from: { id, is_bot: false, first_name: `Mem${chat}`, language_code: 'en' },
          chat: { id, type: 'private', first_name: `Mem${chat}` },
          date: Math.floor(Date.now() / 1000),
          text,
        },
      };
      const status = await post(agent, `${baseUrl}/webhooks/telegram`, JSON.stringify(update));
      if (status !== 200) {
        errors++;
        if (samples.length < 5) samples.push(`HTTP ${status}`);
        waiting.delete(id);
        continue;
      }
      if (await replied) answered++;
      else {
        errors++;
        if (samples.length < 5) samples.push(`chat ${chat}: no reply in 30 s`);
      }
      waiting.delete(id);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { answered, errors, samples, replies };
}

function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

interface ProbeFigures {
  before: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage;
}

/** Asks the probe in the service (SIGUSR2) for its memory figures around a full GC. */
async function probe(pid: number, file: string): Promise<ProbeFigures> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await sleep(200);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ProbeFigures;
    } catch {
      // not written yet
    }
  }
}

/** Asks the service for a heap snapshot (SIGUSR2) and waits until the file is written. */
async function snapshot(pid: number, dir: string): Promise<void> {
  const count = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).length;
  const before = count();
  process.kill(pid, 'SIGUSR2');
  while (count() === before) await sleep(200);
  await sleep(3_000);
}

