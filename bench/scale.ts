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
import pg from 'pg';
import type { Database } from '../store/index.js';
import { benchOptions, parseArgs, runTurnBench, telegramBench, type StoreExtras } from './turns/index.js';

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
  return { seed: (db) => (people > 0 ? seedPopulation(db, people) : Promise.resolve()), probe };
}

/**
 * `count` people, identities, conversations, messages and tasks in a few statements (generate_series),
 * as a busy agency's store would hold them; ids are md5-derived so rows can point at each other.
 */
async function seedPopulation(db: Database, count: number): Promise<void> {
  const first = ['Ana', 'Bob', 'Carla', 'Dev', 'Eve', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jon', 'Kemal', 'Lena', 'Mia', 'Nico', 'Olga', 'Pia', 'Raj', 'Sara', 'Tom', 'Uma'];
  const last = ['Baker', 'Costa', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Moreau', 'Novak', 'Okafor', 'Patel'];
  const companies = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'soarix', 'pixelforge', 'stark', 'wayne', 'wonka'];
  const channel = `(ARRAY['telegram','slack','whatsapp'])[1 + i % 3]`;
  const externalId = `CASE i % 3 WHEN 0 THEN (800000000 + i)::text WHEN 1 THEN 'U8' || lpad(i::text, 8, '0') ELSE (440000000000 + i)::text END`;
  const id = (kind: string, n = 'i') => `md5('scale-${kind}-' || (${n}))::uuid`;
  const pick = (param: string, n: string) => `(${param}::text[])[1 + (${n}) % cardinality(${param}::text[])]`;
  await db.query(
    `INSERT INTO people (id, display_name, role, created_at, updated_at)
     SELECT ${id('person')}, ${pick('$2', 'i')} || ' ' || ${pick('$3', 'i / 20')},
            (ARRAY['admin','developer','developer','developer','sales','client','client','client','client','client'])[1 + i % 10],
            now() - i * interval '1 minute', now() - i * interval '1 minute'
     FROM generate_series(1, $1) i`,
    [count, first, last],
  );
  await db.query(
    `INSERT INTO identities (channel, external_id, person_id, created_at)
     SELECT ${channel}, ${externalId}, ${id('person')}, now() - i * interval '1 minute' FROM generate_series(1, $1) i`,
    [count],
  );
  await db.query(
    `INSERT INTO conversations (id, channel, external_id, created_at, last_message_at)
     SELECT ${id('conversation')}, ${channel}, ${externalId}, now() - i * interval '1 minute', now() - i * interval '10 seconds'
     FROM generate_series(1, $1) i`,
    [count],
  );
  await db.query(
    `INSERT INTO messages (id, conversation_id, direction, platform_message_id, person_id, kind, text, status, created_at, updated_at)
     SELECT ${id('message-in')}, ${id('conversation')}, 'in', 'scale-' || i, ${id('person')}, 'message',
            'remind me to call ' || ${pick('$2', 'i')} || ' on friday', 'answered', now() - i * interval '10 seconds', now() - i * interval '10 seconds'
     FROM generate_series(1, $1) i
     UNION ALL
     SELECT ${id('message-out')}, ${id('conversation')}, 'out', 'scale-out-' || i, NULL, 'reply', 'Done: I will remind you.', 'sent',
            now() - i * interval '10 seconds', now() - i * interval '10 seconds'
     FROM generate_series(1, $1) i`,
    [count, companies],
  );
  await db.query(
    `INSERT INTO tasks (id, title, due_at, assignee_id, created_by, conversation_id, status, created_at, updated_at, completed_at)
     SELECT ${id('task')}, 'call ' || ${pick('$2', 'i')} || ' about invoice ' || i,
            now() + (i % 60) * interval '1 day', ${id('person', '1 + (i * 7) % $1')}, ${id('person')}, ${id('conversation')},
            CASE WHEN i % 5 = 0 THEN 'done' ELSE 'open' END, now() - i * interval '1 minute', now() - i * interval '1 minute',
            CASE WHEN i % 5 = 0 THEN now() END
     FROM generate_series(1, $1) i`,
    [count, companies],
  );
  // As autovacuum would have done by now on a store that grew this big: the planner knows the sizes.
  await db.query('ANALYZE');
}

/** Sequential scans and the rows they read, and rows fetched through indexes (in all, and per table). */
async function probe(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_tup_fetch: string | null }>(
      'SELECT relname, seq_scan, seq_tup_read, idx_tup_fetch FROM pg_stat_user_tables',
    );
    const figures: Record<string, number> = { seqScans: 0, seqRowsRead: 0, indexRowsFetched: 0 };
    for (const row of rows) {
      figures.seqScans! += Number(row.seq_scan);
      figures.seqRowsRead! += Number(row.seq_tup_read);
      figures.indexRowsFetched! += Number(row.idx_tup_fetch ?? 0);
      figures[`seqRowsRead.${row.relname}`] = Number(row.seq_tup_read);
      figures[`indexRowsFetched.${row.relname}`] = Number(row.idx_tup_fetch ?? 0);
    }
    return figures;
  } finally {
    await client.end();
  }
}

interface Figures {
  turnsPerSecond: number;
  cpuMsPerTurn: number;
  errors: number;
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
