/**
 * Cold start of `switchboard serve` until `/ready` answers 200, measured from the spawn, in four
 * set-ups: the embedded default with a new data folder, the same with a folder started once before,
 * PostgreSQL + Redis (private servers, already migrated), and `first`: a new data folder on a machine
 * without the embedded database's template (store/durable/embedded-template.ts), which is removed
 * before each such run (the run makes it again), i.e. a newcomer's very first `npm start`.
 *
 *   npm run bench:start [-- --runs 5 --cases new,existing,postgres,first]
 *
 * Prints one JSON object: per set-up the wall time to ready (median, max, every run), the service's
 * own CPU time until then (steadier than wall time on a shared machine), and the log's stages
 * (ms from the spawn to each start-up line) so a slow start says where its time went.
 * BENCH_CPU_PROFILE=dir writes each started service's V8 CPU profile there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultEmbeddedTemplatePath, migrate, openPostgres } from '../store/index.js';
import { spawnService, startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../test/support/index.js';
import { parseArgs, percentile, processCpuMs, round } from './turns/index.js';

type Case = 'new' | 'existing' | 'postgres' | 'first';

/** Issue 13's targets, ms from the spawn to the first 200 of /ready (`first` has none: it is reported). */
const TARGET_MS: Record<Case, number | undefined> = { new: 4_000, existing: 2_000, postgres: 1_500, first: undefined };

/** The start-up log lines whose time is reported, by a short name. */
const STAGES: [string, RegExp][] = [
  ['understanding', /"msg":"understanding: /],
  ['storesReady', /"msg":"stores ready: /],
  ['listening', /"msg":"Switchboard is listening/],
];

interface Run {
  readyMs: number;
  cpuMs: number;
  stages: Record<string, number>;
  understanding: string | undefined;
}

const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log(`Usage: npm run bench:start [-- --runs N --cases new,existing,postgres,first]\n\nCold start to /ready of switchboard serve; prints one JSON object.`);
} else {
  const runs = Number(args.get('runs') ?? 5);
  const cases = (args.get('cases') ?? 'new,existing,postgres,first').split(',') as Case[];
  const result: Record<string, unknown> = {
    bench: 'bench:start',
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg().map((l) => round(l, 1)) },
    runs,
  };
  // The command runs compiled from its build cache (bin/compiled-entry.js): made here once, so that no
  // measured start includes the build a source change calls for.
  execFileSync(process.execPath, [path.join(import.meta.dirname, '../bin/switchboard.js'), '--help'], { stdio: 'ignore' });
  for (const name of cases) result[name] = summarise(name, await measureCase(name, runs));
  result.loadAverageAfter = os.loadavg().map((l) => round(l, 1));
  console.log(JSON.stringify(result, null, 2));
}

async function measureCase(name: Case, runs: number): Promise<Run[]> {
  const measured: Run[] = [];
  const servers: PrivateServer[] = [];
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-start-'));
    folders.push(dir);
    return dir;
  };
  try {
    const env: Record<string, string> = { HOST: '127.0.0.1' };
    if (name === 'postgres') {
      const postgres = await startPrivatePostgres();
      servers.push(postgres);
      const redis = await startPrivateRedis();
      servers.push(redis);
      const db = await openPostgres({ url: postgres.url, poolSize: 1 });
      await migrate(db).finally(() => db.close());
      Object.assign(env, { DATABASE_URL: postgres.url, REDIS_URL: redis.url, DATA_DIR: folder() });
      // One start before the measured ones: the data folder then holds what a second start reuses.
      await startOnce(env);
    }
    if (name === 'existing') {
      env.DATA_DIR = folder();
      await startOnce(env);
    }
    // A new folder is copied from the machine's template: made here by one start if there is none yet.
    const template = defaultEmbeddedTemplatePath();
    if (name === 'new' && template && !existsSync(template)) await startOnce({ ...env, DATA_DIR: folder() });
    for (let run = 0; run < runs; run++) {
      if (name === 'first' && template) rmSync(template, { force: true });
      const runEnv = name === 'new' || name === 'first' ? { ...env, DATA_DIR: folder() } : env;
      measured.push(await startOnce(runEnv));
    }
    return measured;
  } finally {
    for (const server of servers) await server.destroy();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  }
}

/** One start: spawn, wait for the URL in the log, poll /ready until 200; then stop it. */
async function startOnce(env: Record<string, string>): Promise<Run> {
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const spawnedAt = Date.now();
  const started = performance.now();
  const service = await spawnService(env, 180_000, profile);
  try {
    for (;;) {
      const response = await fetch(`${service.url}/ready`).catch(() => undefined);
      if (response?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    const cpuMs = processCpuMs(service.process.pid!);
    const log = service.log().split('\n');
    const stages: Record<string, number> = {};
    for (const [stage, pattern] of STAGES) {
      const line = log.find((l) => pattern.test(l));
      const time = line ? /"time":"([^"]+)"/.exec(line)?.[1] : undefined;
      if (time) stages[stage] = Date.parse(time) - spawnedAt;
    }
    const understanding = /"msg":"understanding: ([^"]+)"/.exec(service.log())?.[1];
    return { readyMs: Math.round(readyMs), cpuMs: Math.round(cpuMs), stages, understanding };
  } finally {
    await service.stop();
  }
}

function summarise(name: Case, runs: Run[]) {
  const stat = (values: number[]) => ({ median: percentile(values, 0.5), max: Math.max(...values) });
  const stageNames = STAGES.map(([stage]) => stage);
  return {
    readyMs: { ...stat(runs.map((r) => r.readyMs)), target: TARGET_MS[name], runs: runs.map((r) => r.readyMs) },
    cpuMs: { ...stat(runs.map((r) => r.cpuMs)), runs: runs.map((r) => r.cpuMs) },
    stagesMedianMs: Object.fromEntries(
      stageNames.filter((s) => runs.some((r) => r.stages[s] !== undefined)).map((s) => [s, percentile(runs.map((r) => r.stages[s] ?? 0), 0.5)]),
    ),
    understanding: runs.at(-1)?.understanding,
  };
}
