import type { AuditLog } from './audit-log.js';
import type { Database, Queryable } from './database.js';

/** What an erasure removed, per kind: the receipt the requester gets and the audit record keeps (counts only). */
export interface ErasureCounts {
  contacts: number;
  identities: number;
  conversations: number;
  messages: number;
  notes: number;
  activities: number;
  tasks: number;
  checkpoints: number;
  auditRecords: number;
  /** Other rows in any table whose text or JSON named the person (job payloads, tool runs, confirmations…). */
  otherRecords: number;
}

export interface ErasureRequest {
  contactId: string;
  /** Every spelling of the person to remove wherever it appears: name, e-mail, phone formats, channel ids. */
  needles: string[];
  /**
   * Their phone numbers' national digits (4155550100): found however they were typed ("415-555-0100",
   * "(415) 555 0100"), as digits with up to two separators between them.
   */
  phoneDigits: string[];
  /** Who asked (a person id): the audit record's actor. */
  requestedBy: string;
  conversationId: string | null;
}

/** Schemas the sweep reads: the application's tables and the LangGraph checkpointer's. */
const SCHEMAS = ['public', 'langgraph'];
/** Shorter strings would match unrelated text ("Al" in "Almond"); channel ids that short are not swept. */
const MIN_NEEDLE = 4;
const ERASED = '[erased]';

/**
 * Erases one CRM contact and the person behind it from every table (DESIGN.md, "crm: erase-on-request"):
 *  1. the contact's own rows (notes, activities, tags, identities, links) and the contact itself;
 *  2. its conversations (a client's chat): every message's text, payload and transcript blanked, the
 *     conversation's platform id (a WhatsApp number) replaced, their LangGraph checkpoints deleted;
 *     the channel identities and name of the person behind it (clients and unknowns only);
 *  3. a sweep of every text and JSON column in `public` and `langgraph` (information_schema, so tables
 *     added later are covered too) for each needle: text is replaced by "[erased]", a checkpoint thread
 *     that names the person is deleted whole (its blobs are serialised state, not editable text);
 *  4. the audit log: records naming the person are redacted and one `data.erased` record, with counts
 *     and no personal data, lists them, so `audit verify` still holds (audit-log.ts).
 * Steps 1–3 run in one transaction; step 4 in the audit log's own.
 */
export async function eraseContact(db: Database, audit: AuditLog, request: ErasureRequest): Promise<ErasureCounts> {
  const needles = [...new Set(request.needles.map((n) => n.trim()).filter((n) => n.length >= MIN_NEEDLE))];
  const patterns = [
    ...needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    ...request.phoneDigits.filter((d) => /^\d{6,}$/.test(d)).map((d) => d.split('').join('[[:space:]().-]{0,2}')),
  ];
  const counts = await db.transaction(async (tx) => {
    const c: ErasureCounts = { contacts: 0, identities: 0, conversations: 0, messages: 0, notes: 0, activities: 0, tasks: 0, checkpoints: 0, auditRecords: 0, otherRecords: 0 };
    const { rows: contactRows } = await tx.query<{ person_id: string | null }>('SELECT person_id FROM crm_contacts WHERE id = $1 FOR UPDATE', [request.contactId]);
    if (!contactRows[0]) return c;
    const personId = contactRows[0].person_id;
    const { rows: identities } = await tx.query<{ channel: string; external_id: string }>(
      'SELECT channel, external_id FROM crm_contact_identities WHERE contact_id = $1',
      [request.contactId],
    );
    c.identities = identities.length;
    const conversationIds = await conversationsOf(tx, request.contactId, identities, personId);

    c.notes = (await tx.query('DELETE FROM crm_notes WHERE contact_id = $1', [request.contactId])).rowCount ?? 0;
    c.activities = (await tx.query('DELETE FROM crm_activities WHERE contact_id = $1', [request.contactId])).rowCount ?? 0;
    await tx.query(`DELETE FROM crm_tags WHERE record_kind = 'contact' AND record_id = $1`, [request.contactId]);
    c.tasks = (await tx.query('UPDATE tasks SET crm_contact_id = NULL WHERE crm_contact_id = $1', [request.contactId])).rowCount ?? 0;
    c.contacts = (await tx.query('DELETE FROM crm_contacts WHERE id = $1', [request.contactId])).rowCount ?? 0;

    for (const conversationId of conversationIds) {
      c.messages +=
        (
          await tx.query(
            `UPDATE messages SET text = $2, payload = '{}'::jsonb, transcript = NULL, transcript_meta = NULL, error = NULL
             WHERE conversation_id = $1`,
            [conversationId, ERASED],
          )
        ).rowCount ?? 0;
      await tx.query(`UPDATE conversations SET external_id = 'erased:' || id::text, thread = '' WHERE id = $1`, [conversationId]);
      c.checkpoints += await deleteThread(tx, conversationId);
    }
    c.conversations = conversationIds.length;
    if (personId) {
      const { rows } = await tx.query<{ role: string }>('SELECT role FROM people WHERE id = $1', [personId]);
      // A team member's own identities are how they reach the bot: only a client's or a stranger's go.
      if (rows[0] && (rows[0].role === 'client' || rows[0].role === 'unknown')) {
        c.identities += (await tx.query('DELETE FROM identities WHERE person_id = $1', [personId])).rowCount ?? 0;
        await tx.query('DELETE FROM pairing_requests WHERE person_id = $1', [personId]);
        await tx.query('UPDATE people SET display_name = NULL WHERE id = $1', [personId]);
      }
    }
    for (const identity of identities) {
      c.identities += (await tx.query('DELETE FROM identities WHERE channel = $1 AND external_id = $2', [identity.channel, identity.external_id])).rowCount ?? 0;
    }
    const swept = await sweep(tx, needles, patterns);
    c.checkpoints += swept.checkpoints;
    c.otherRecords = swept.rows;
    return c;
  });
  const redaction = await audit.redact(patterns, {
    actor: request.requestedBy,
    action: 'data.erased',
    conversationId: request.conversationId,
    data: { kind: 'crm.contact', counts },
  });
  return { ...counts, auditRecords: redaction.redacted.length };
}

/** The contact's conversations: linked ones, those on its channel identities, and those of the person behind it where they wrote alone. */
async function conversationsOf(tx: Queryable, contactId: string, identities: { channel: string; external_id: string }[], personId: string | null): Promise<string[]> {
  const ids = new Set<string>();
  const { rows: linked } = await tx.query<{ conversation_id: string }>('SELECT conversation_id FROM crm_contact_conversations WHERE contact_id = $1', [contactId]);
  linked.forEach((r) => ids.add(r.conversation_id));
  for (const identity of identities) {
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM conversations WHERE channel = $1 AND external_id = $2', [identity.channel, identity.external_id]);
    rows.forEach((r) => ids.add(r.id));
  }
  if (personId) {
    // Conversations where nobody else wrote: theirs (a shared team chat is swept for their data instead).
    const { rows } = await tx.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM messages WHERE direction = 'in' GROUP BY conversation_id
       HAVING bool_and(person_id = $1)`,
      [personId],
    );
    rows.forEach((r) => ids.add(r.conversation_id));
  }
  return [...ids];
}

/** Deletes a conversation's LangGraph checkpoints (the graph's thread is the conversation id): 1 if it had any, else 0. */
async function deleteThread(tx: Queryable, threadId: string): Promise<number> {
  const tables = await checkpointTables(tx);
  let deleted = 0;
  for (const table of tables) {
    const result = await tx.query(`DELETE FROM langgraph.${quoteIdent(table)} WHERE thread_id = $1`, [threadId]);
    deleted += result.rowCount ?? 0;
  }
  return deleted ? 1 : 0;
}

async function checkpointTables(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'langgraph' AND column_name = 'thread_id'`,
  );
  return rows.map((r) => r.table_name);
}

interface SweptColumn {
  schema: string;
  table: string;
  column: string;
  type: 'text' | 'text[]' | 'json' | 'jsonb' | 'bytea';
}

/**
 * Every text, text array, JSON and byte column of every table in SCHEMAS, from information_schema
 * (generated columns are recomputed by PostgreSQL; the audit log is redacted on its own, keeping its chain).
 */
async function sweptColumns(tx: Queryable): Promise<SweptColumn[]> {
  const { rows } = await tx.query<{ table_schema: string; table_name: string; column_name: string; udt_name: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.udt_name
     FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = ANY($1) AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
       AND c.udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'bytea', '_text', '_varchar')
       AND NOT (c.table_schema = 'public' AND c.table_name IN ('audit_log', 'schema_migrations'))
     ORDER BY 1, 2, 3`,
    [SCHEMAS],
  );
  const typeOf = (udt: string): SweptColumn['type'] =>
    udt === 'json' || udt === 'jsonb' || udt === 'bytea' ? udt : udt.startsWith('_') ? 'text[]' : 'text';
  return rows.map((r) => ({ schema: r.table_schema, table: r.table_name, column: r.column_name, type: typeOf(r.udt_name) }));
}

/**
 * Replaces every match of `patterns` (case-insensitive regular expressions: the escaped needles and the
 * phone-digit patterns) in every swept column; a LangGraph thread naming the person is deleted whole.
 */
async function sweep(tx: Queryable, needles: string[], patterns: string[]): Promise<{ rows: number; checkpoints: number }> {
  let rows = 0;
  let checkpoints = 0;
  if (!patterns.length) return { rows, checkpoints };
  const likes = needles.map((n) => `%${n.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  const threads = await checkpointTables(tx);
  for (const col of await sweptColumns(tx)) {
    const target = `${quoteIdent(col.schema)}.${quoteIdent(col.table)}`;
    const column = quoteIdent(col.column);
    // Byte columns (serialised checkpoints) are compared in their escaped text form: needles lower-cased
    // and escaped alike, phone digits as they are (ASCII).
    const matches =
      col.type === 'bytea'
        ? `(lower(encode(${column}, 'escape')) LIKE ANY(SELECT lower(encode(convert_to(p, 'UTF8'), 'escape')) FROM unnest($1::text[]) p)
            OR encode(${column}, 'escape') ~* ANY($2::text[]))`
        : `${column}::text ~* ANY($1::text[])`;
    const params = col.type === 'bytea' ? [likes, patterns] : [patterns];
    if (col.schema === 'langgraph') {
      // Checkpoint rows are serialised graph state: the whole thread goes, not a patched blob.
      if (!threads.includes(col.table)) continue;
      const { rows: found } = await tx.query<{ thread_id: string }>(`SELECT DISTINCT thread_id FROM ${target} WHERE ${matches}`, params);
      for (const t of found) checkpoints += await deleteThread(tx, t.thread_id);
      continue;
    }
    if (col.type === 'bytea') continue;
    // One probe per column; the per-pattern updates run only where something matched.
    const { rows: hit } = await tx.query<{ hit: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${target} WHERE ${matches}) AS hit`, params);
    if (!hit[0]?.hit) continue;
    for (const pattern of patterns) {
      const replaced =
        col.type === 'json' || col.type === 'jsonb'
          ? `regexp_replace(${column}::text, $1, $2, 'gi')::${col.type}`
          : col.type === 'text[]'
            ? `(SELECT array_agg(regexp_replace(e, $1, $2, 'gi')) FROM unnest(${column}) e)`
            : `regexp_replace(${column}, $1, $2, 'gi')`;
      const result = await tx.query(`UPDATE ${target} SET ${column} = ${replaced} WHERE ${column}::text ~* $1`, [pattern, ERASED]);
      rows += result.rowCount ?? 0;
    }
  }
  return { rows, checkpoints };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
