import pg from 'pg';
import type { Database } from '../../store/index.js';

/**
 * `count` people, identities, conversations, messages and tasks in a few statements (generate_series),
 * as a busy agency's store would hold them; ids are md5-derived so rows can point at each other.
 */
export async function seedPopulation(db: Database, count: number): Promise<void> {
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
export async function probeStore(databaseUrl: string): Promise<Record<string, number>> {
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
