import type { Queryable } from '../../../store/index.js';

/**
 * Every place a string still appears: each text, JSON and byte column of every table in the schemas
 * `public` and `langgraph` (from information_schema, so tables added later are searched too),
 * case-insensitive. Returns `schema.table.column: needle` for each hit.
 */
export async function personalDataHits(db: Queryable, needles: string[]): Promise<string[]> {
  const { rows: columns } = await db.query<{ table_schema: string; table_name: string; column_name: string; udt_name: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.udt_name
     FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema IN ('public', 'langgraph') AND t.table_type = 'BASE TABLE'
     ORDER BY 1, 2, 3`,
  );
  const hits: string[] = [];
  for (const c of columns) {
    const table = `"${c.table_schema}"."${c.table_name}"`;
    const column = `"${c.column_name}"`;
    // Every column as text (numbers, arrays, tsvectors included); byte columns (serialised checkpoints)
    // both as UTF-8 text, case-insensitive, and as raw bytes.
    const test =
      c.udt_name === 'bytea'
        ? `position(convert_to(probe.needle, 'UTF8') in t.${column}) > 0 OR strpos(lower(encode(t.${column}, 'escape')), lower(encode(convert_to(probe.needle, 'UTF8'), 'escape'))) > 0`
        : `strpos(lower(t.${column}::text), lower(probe.needle)) > 0`;
    const { rows } = await db.query<{ needle: string }>(`SELECT probe.needle FROM unnest($1::text[]) AS probe (needle) WHERE EXISTS (SELECT 1 FROM ${table} t WHERE ${test})`, [needles]);
    for (const r of rows) hits.push(`${c.table_schema}.${c.table_name}.${c.column_name}: ${r.needle}`);
  }
  return hits;
}
