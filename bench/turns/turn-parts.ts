import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { END, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { ActStep, AgentHandler, AgentState, DialogStep, installLightRunContext } from '../../bot/agent/index.js';
import { startService } from '../../bot/index.js';
import { loadConfig } from '../../config/index.js';
import { silentLogger } from '../../core/index.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { ThreadCheckpointSaver } from '../../store/index.js';
import { ToolExecutor } from '../../tools/index.js';
import { startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../../test/support/index.js';

export interface TurnPartsOptions {
  turns: number;
  warmUp: number;
  text: string;
  stores: 'embedded' | 'postgres';
}

/** Where one turn's CPU goes, one turn at a time, in milliseconds per turn. */
export interface TurnParts {
  bench: 'bench:turn-parts';
  options: TurnPartsOptions;
  machine: { cpus: number; node: string };
  /** The whole process (every thread) per turn: the message path, the agent, the web chat's delivery. */
  cpuMsPerTurn: number;
  wallMsPerTurn: number;
  /** CPU inside each part while it ran (nested parts are included in their parent's figure). */
  parts: Record<string, number>;
  /** agent.handle minus the parts inside it: LangGraph's own machinery (steps, configs, channel copies). */
  graphOverheadMsPerTurn: number;
  /** The whole turn minus agent.handle: the message path (store, claim, lock, answer) and the delivery. */
  aroundAgentMsPerTurn: number;
  /** The bare framework in the same run: the turn's three LangGraph steps as empty nodes, with an in-memory checkpointer. */
  bareLangGraphMsPerInvoke: number;
  replySample: string;
}

/** The methods measured: each call's CPU (process.cpuUsage before and after) is added to its part. */
const MEASURED: [label: string, prototype: object, method: string][] = [
  ['agent.handle', AgentHandler.prototype, 'handle'],
  ['understand', OfflineUnderstander.prototype, 'understand'],
  ['dialog', DialogStep.prototype, 'run'],
  ['act', ActStep.prototype, 'run'],
  ['act.executor', ToolExecutor.prototype, 'execute'],
  ['checkpoint.read', ThreadCheckpointSaver.prototype, 'getTuple'],
  // Serialising it: the write itself goes with the answer's statement (MessageRepo.answer), outside the agent.
  ['checkpoint.write', ThreadCheckpointSaver.prototype, 'put'],
];

/**
 * Runs `turns` web-chat turns one after another through an in-process service and reports the CPU of
 * each part of the turn. One at a time, so a part's CPU delta is its own: the concurrency benchmarks
 * (bench:telegram and the others) say how fast; this one says where the time goes, without a profiler's
 * overhead or its blind spots across awaits. Group commits never group here (nothing runs beside a turn).
 * A part's figure is the process's CPU while the part ran, so it also holds what ran meanwhile: garbage
 * collection, and background work of the turn before (its reply's delivery, an audit write). Understanding,
 * 0.08 ms per call alone (bench:nlu's warm figure), reads 0.6–0.8 ms here: read small parts with that in mind.
 */
export async function runTurnParts(options: TurnPartsOptions): Promise<TurnParts> {
  const totals = new Map<string, { cpuMs: number; calls: number }>();
  const restore = MEASURED.map(([label, prototype, method]) => measure(prototype as Record<string, unknown>, method, label, totals));
  const servers: PrivateServer[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-turn-parts-'));
  try {
    // The same chats write many times a minute here: the rate limits would stop them (as in bench:telegram).
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      PORT: '0',
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '1000000',
    };
    if (options.stores === 'postgres') {
      const postgres = await startPrivatePostgres();
      servers.push(postgres);
      const redis = await startPrivateRedis();
      servers.push(redis);
      env.DATABASE_URL = postgres.url;
      env.REDIS_URL = redis.url;
    }
    // Silent: stdout is the JSON.
    const service = await startService({ config: loadConfig(env, process.cwd()), logger: silentLogger() });
    try {
      const chats = 100;
      for (let chat = 0; chat < chats; chat++) await service.bot.people.grant('webchat', `bench-${chat}`, 'developer');
      let replySample = '';
      const run = async (count: number, offset: number) => {
        for (let i = 0; i < count; i++) {
          const user = `bench-${(offset + i) % chats}`;
          const outcome = await service.bot.pipeline.handleInbound({
            channel: 'webchat',
            messageId: `turn-${offset + i}`,
            conversation: user,
            user: { id: user },
            text: options.text,
            receivedAt: Date.now(),
          });
          replySample = outcome.replies.map((reply) => reply.text).join('\n');
        }
      };
      await run(options.warmUp, 0);
      totals.clear();
      const started = process.cpuUsage();
      const startedAt = performance.now();
      await run(options.turns, options.warmUp);
      const used = process.cpuUsage(started);
      const wallMs = performance.now() - startedAt;
      const perTurn = (label: string) => (totals.get(label)?.cpuMs ?? 0) / options.turns;
      const inside = ['understand', 'dialog', 'act', 'checkpoint.read', 'checkpoint.write'].reduce((sum, label) => sum + perTurn(label), 0);
      return {
        bench: 'bench:turn-parts',
        options,
        machine: { cpus: os.cpus().length, node: process.version },
        cpuMsPerTurn: round((used.user + used.system) / 1000 / options.turns),
        wallMsPerTurn: round(wallMs / options.turns),
        parts: Object.fromEntries(MEASURED.map(([label]) => [label, round(perTurn(label))])),
        graphOverheadMsPerTurn: round(perTurn('agent.handle') - inside),
        aroundAgentMsPerTurn: round((used.user + used.system) / 1000 / options.turns - perTurn('agent.handle')),
        bareLangGraphMsPerInvoke: await bareLangGraph(Math.max(200, options.turns)),
        replySample,
      };
    } finally {
      await service.stop();
    }
  } finally {
    for (const undo of restore) undo();
    for (const server of servers) await server.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function measure(prototype: Record<string, unknown>, method: string, label: string, totals: Map<string, { cpuMs: number; calls: number }>): () => void {
  const original = prototype[method] as (...args: unknown[]) => Promise<unknown>;
  prototype[method] = async function measured(this: unknown, ...args: unknown[]) {
    const started = process.cpuUsage();
    try {
      return await original.apply(this, args);
    } finally {
      const used = process.cpuUsage(started);
      const total = totals.get(label) ?? { cpuMs: 0, calls: 0 };
      total.cpuMs += (used.user + used.system) / 1000;
      total.calls++;
      totals.set(label, total);
    }
  };
  return () => {
    prototype[method] = original;
  };
}

/**
 * CPU per invoke of the steps a task turn runs (understand → dialog → act; `respond` runs only when a
 * turn has nothing to say), as empty nodes on the agent's own state, checkpointed in memory.
 */
async function bareLangGraph(invokes: number): Promise<number> {
  installLightRunContext();
  const graph = new StateGraph(AgentState)
    .addNode('understand', async () => ({ understanding: null }))
    .addNode('dialog', async () => ({ execution: null }))
    .addNode('act', async () => ({ replies: [{ text: 'ok' }] }))
    .addEdge(START, 'understand')
    .addEdge('understand', 'dialog')
    .addEdge('dialog', 'act')
    .addEdge('act', END)
    .compile({ checkpointer: new MemorySaver() });
  const invoke = (i: number) =>
    graph.invoke(
      {
        turn: { inboundId: `i${i}`, text: 'hi', now: Date.now(), conversationId: `c${i % 100}`, channel: 'webchat', externalUserId: 'u', person: { id: 'p' } as never, timezone: 'UTC', untrusted: null, voice: null },
        halted: false,
        understanding: null,
        command: null,
        replies: [],
        execution: null,
        directActions: [],
      },
      { configurable: { thread_id: `c${i % 100}` }, durability: 'exit' },
    );
  for (let i = 0; i < Math.min(500, invokes); i++) await invoke(i);
  const started = process.cpuUsage();
  for (let i = 0; i < invokes; i++) await invoke(i);
  const used = process.cpuUsage(started);
  return round((used.user + used.system) / 1000 / invokes);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
