import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_SHARED_BUFFERS, openEmbedded } from '../../../store/durable/open-embedded.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-memory-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the embedded database keeps its memory bounded', () => {
  it('runs with the small buffer pool (its WebAssembly memory never shrinks), on a folder and in memory, and still works', async () => {
    for (const directory of [path.join(folder, 'pg'), undefined]) {
      const db = await openEmbedded({ directory });
      try {
        expect(EMBEDDED_SHARED_BUFFERS).toBe('32MB');
        expect((await db.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]?.shared_buffers).toBe('32MB');
        // The start parameters replaced none of PGlite's own (search_path=public among them).
        expect((await db.query<{ search_path: string }>('SHOW search_path')).rows[0]?.search_path).toBe('public');
        await db.query('CREATE TABLE IF NOT EXISTS t (n int)');
        await db.query('INSERT INTO t SELECT generate_series(1, 1000)');
        expect(Number((await db.query<{ count: string }>('SELECT count(*) FROM t')).rows[0]?.count)).toBe(1000);
      } finally {
        await db.close();
      }
    }
  });
});
