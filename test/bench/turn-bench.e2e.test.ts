import { expect, it } from 'vitest';
import { benchOptions, runTurnBench, slackBench, telegramBench, TURN_COST_BOUNDS, whatsappBench, type ChannelBench, type ServiceFigures } from '../../bench/turns/index.js';
import { describeNeeding } from '../support/needs.js';

/**
 * The turn benchmarks' smoke runs (`npm run bench:<channel> -- --smoke`), in process: each prints the
 * JSON it promises, the bare bot and Switchboard both answer (a turn counts only when its reply reached
 * the platform fake), nothing fails, and one turn with PostgreSQL + Redis stays within TURN_COST_BOUNDS
 * (statements and transactions counted by PostgreSQL, pg_stat_statements). No timing is asserted: the machine
 * is shared.
 */

type Figures = ServiceFigures;

async function smoke(channel: ChannelBench, stores: string): Promise<Record<string, unknown>> {
  // What `npm run bench:<channel> -- --smoke --stores …` prints, read back as its reader would.
  const result = JSON.parse(JSON.stringify(await runTurnBench(channel, benchOptions(['--smoke', '--stores', stores])!))) as Record<string, unknown>;
  expect(result).toMatchObject({ bench: `bench:${channel.name}`, machine: { cpus: expect.any(Number), node: process.version } });
  const bare = result.bare as Figures;
  expect(bare.rounds.length).toBeGreaterThan(0);
  expect(total(bare.rounds)).toBeGreaterThan(0);
  expect(bare.errors, JSON.stringify(bare.rounds.map((r) => r.errorSamples))).toBe(0);
  return result;
}

function expectServiceFigures(figures: Figures | undefined): Figures {
  expect(figures).toMatchObject({
    turnsPerSecond: expect.any(Number),
    webhookMs: { p50: expect.any(Number), p99: expect.any(Number) },
    postToReplyMs: { p50: expect.any(Number), p99: expect.any(Number) },
    cpuMsPerTurn: expect.any(Number),
    ratioToBare: { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) },
    rssMb: expect.any(Number),
  });
  expect(total(figures!.rounds)).toBeGreaterThan(0);
  expect(figures!.errors, JSON.stringify(figures!.rounds.map((r) => r.errorSamples))).toBe(0);
  return figures!;
}

/** The per-turn counts with PostgreSQL + Redis, within the bounds (the statements named when not). */
function expectTurnCost(figures: Figures): void {
  const statements = JSON.stringify(figures.topStatements);
  expect(figures.sqlStatementsPerTurn, statements).toBeGreaterThan(0);
  expect(figures.sqlStatementsPerTurn, statements).toBeLessThanOrEqual(TURN_COST_BOUNDS.sqlStatementsPerTurn);
  expect(figures.transactionsPerTurn, statements).toBeLessThanOrEqual(TURN_COST_BOUNDS.transactionsPerTurn);
  expect(figures.redisCommandsPerTurn).toBeGreaterThan(0);
  // The stores' own CPU is measured too (their processes share the machine's cores with the service).
  expect(figures.storesCpuMsPerTurn?.postgres).toBeGreaterThan(0);
}

function total(rounds: Figures['rounds']): number {
  return rounds.reduce((sum, round) => sum + round.turns, 0);
}

describeNeeding('postgres', 'redis')('turn benchmarks, smoke runs', () => {
  it('bench:telegram with PostgreSQL + Redis and on the embedded default', { timeout: 180_000 }, async () => {
    const result = await smoke(telegramBench, 'postgres,embedded');
    expectTurnCost(expectServiceFigures(result.switchboardPostgresRedis as Figures));
    const embedded = expectServiceFigures(result.switchboardEmbedded as Figures);
    // No statement counter on the embedded store: the figures say nothing rather than something wrong.
    expect(embedded.sqlStatementsPerTurn).toBeUndefined();
  });

  it('bench:slack with PostgreSQL + Redis (signed Events API requests, a bare Bolt app)', { timeout: 120_000 }, async () => {
    const result = await smoke(slackBench, 'postgres');
    expectTurnCost(expectServiceFigures(result.switchboardPostgresRedis as Figures));
    expect(result.switchboardEmbedded).toBeUndefined();
  });

  it('bench:whatsapp with PostgreSQL + Redis (signed Cloud API notifications, a bare webhook bot)', { timeout: 120_000 }, async () => {
    const result = await smoke(whatsappBench, 'postgres');
    expectTurnCost(expectServiceFigures(result.switchboardPostgresRedis as Figures));
  });
});
