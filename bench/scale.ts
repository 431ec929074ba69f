/**
 * Scale benchmark: the turn of bench:telegram (PostgreSQL + Redis) measured twice, once with only the
 * benchmark's own people in the store (~50) and once with `--population` more people, each with an
 * identity on Telegram, Slack or WhatsApp, a conversation with two messages and a task (four in five
 * open). The cost of a turn must not depend on how much the store holds: CPU ms and SQL statements per
 * turn are compared, within 20% of each other. `storePerTurn` says what PostgreSQL read per turn
 * (sequential scans and the rows they read, per table): a read that grows with the store shows there.
 *
 *   npm run bench:scale [-- --population 10000 --chats 50 --rounds 3 --seconds 10 --connections 16]
 *
 * Prints one JSON object.
 */
import { benchOptions, parseArgs, probeStore, runTurnBench, seedPopulation, telegramBench, type StoreExtras } from './turns/index.js';

const args = parseArgs(process.argv.slice(2));
const population = Number(args.get('population') ?? 10_000);
// bench:telegram's options, with fewer chats by default and PostgreSQL + Redis only (later arguments win).
const options = benchOptions(['--chats', '50', '--connections', '16', ...process.argv.slice(2), '--stores', 'postgres']);
/** Each figure of the large store may differ from the small one's by this much (issue 13). */
const TOLERANCE = 0.2;

if (!options || args.has('help')) {
  console.log('Usage: npm run bench:scale [-- --population 10000 --chats 50 --rounds 3 --seconds 10 --connections 16 --smoke]');
} else {
  const small = await runTurnBench(telegramBench, { ...options, store: extras(0) });
  const large = await runTurnBench(telegramBench, { ...options, store: extras(population) });
  console.log(JSON.stringify(compare(small, large), null, 2));
}

function extras(people: number): StoreExtras {
  return { seed: (db) => (people > 0 ? seedPopulation(db, people) : Promise.resolve()), probe: probeStore };
}

interface Figures {
  turnsPerSecond: number;
  cpuMsPerTurn: number;
  errors: number;
  rounds: { errorSamples: string[] }[];
  postToReplyMs: { p50: number; p99: number };
  sqlStatementsPerTurn: number;
  transactionsPerTurn: number;
  redisCommandsPerTurn: number;
  topStatements: { text: string; perTurn: number }[];
  storePerTurn: Record<string, number>;
}

function compare(smallRun: Record<string, unknown>, largeRun: Record<string, unknown>): Record<string, unknown> {
  const small = smallRun.switchboardPostgresRedis as Figures;
  const large = largeRun.switchboardPostgresRedis as Figures;
  const bareCpu = (run: Record<string, unknown>) => (run.bare as { cpuMsPerTurn: number }).cpuMsPerTurn;
  const ratio = (of: (f: Figures) => number) => Math.round((of(large) / Math.max(1e-9, of(small))) * 1000) / 1000;
  const cpuRatio = ratio((f) => f.cpuMsPerTurn);
  const statementRatio = ratio((f) => f.sqlStatementsPerTurn);
  const perTurn = (f: Figures) => new Map(f.topStatements.map((s) => [s.text, s.perTurn]));
  const before = perTurn(small);
  const after = perTurn(large);
  const texts = new Set([...before.keys(), ...after.keys()]);
  const sizes = (people: number) => ({ people: options!.chats + people, conversations: people, tasks: people, messages: 2 * people });
  const brief = (f: Figures) => ({
    turnsPerSecond: f.turnsPerSecond,
    cpuMsPerTurn: f.cpuMsPerTurn,
    sqlStatementsPerTurn: f.sqlStatementsPerTurn,
    transactionsPerTurn: f.transactionsPerTurn,
    redisCommandsPerTurn: f.redisCommandsPerTurn,
    postToReplyMs: f.postToReplyMs,
    errors: f.errors,
    ...(f.errors ? { errorSamples: f.rounds.flatMap((r) => r.errorSamples) } : {}),
    storePerTurn: Object.fromEntries(Object.entries(f.storePerTurn).filter(([, n]) => n > 0)),
  });
  return {
    bench: 'bench:scale',
    machine: smallRun.machine,
    options: { ...(smallRun.options as object), store: undefined, population },
    small: { storeBefore: sizes(0), ...brief(small), bareCpuMsPerTurn: bareCpu(smallRun) },
    large: { storeBefore: sizes(population), ...brief(large), bareCpuMsPerTurn: bareCpu(largeRun) },
    ratio: { cpuMsPerTurn: cpuRatio, sqlStatementsPerTurn: statementRatio, seqRowsReadPerTurn: ratio((f) => f.storePerTurn.seqRowsRead ?? 0) },
    withinTolerance: {
      tolerance: TOLERANCE,
      cpuMsPerTurn: Math.abs(cpuRatio - 1) <= TOLERANCE,
      sqlStatementsPerTurn: Math.abs(statementRatio - 1) <= TOLERANCE,
    },
    // Statements whose count per turn differs between the two stores.
    statementsThatChanged: [...texts]
      .map((text) => ({ text, small: before.get(text) ?? 0, large: after.get(text) ?? 0 }))
      .filter((s) => Math.abs(s.large - s.small) >= 0.05),
  };
}
