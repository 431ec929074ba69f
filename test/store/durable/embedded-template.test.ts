import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTemplatePath } from '../../../store/durable/embedded-template.js';
import { migrate } from '../../../store/durable/migrations.js';
import { openEmbedded } from '../../../store/durable/open-embedded.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-template-'));
const folder = (name: string) => path.join(root, name);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Opens, migrates, writes a row and reads it back; returns the start-up description. */
async function openAndUse(options: Parameters<typeof openEmbedded>[0], note: string): Promise<string> {
  const db = await openEmbedded(options);
  try {
    await migrate(db);
    await db.query(`CREATE TABLE IF NOT EXISTS probe (note text)`);
    await db.query(`INSERT INTO probe (note) VALUES ($1)`, [note]);
    const { rows } = await db.query<{ note: string }>(`SELECT note FROM probe WHERE note = $1`, [note]);
    expect(rows).toEqual([{ note }]);
    return db.description;
  } finally {
    await db.close();
  }
}

describe('a new embedded database starts from the machine’s template', () => {
  const template = path.join(root, 'cache', 'pglite-template-test.tar');

  it('the first new database runs initdb and leaves the template; the next ones are copied from it', async () => {
    expect(await openAndUse({ directory: folder('a'), template }, 'first')).toMatch(/, new \(initialised\)$/);
    expect(statSync(template).size).toBeGreaterThan(1_000_000);

    expect(await openAndUse({ directory: folder('b'), template }, 'second')).toMatch(/, new \(copied from the template\)$/);
    expect(await openAndUse({ directory: undefined, template }, 'memory')).toBe('embedded PostgreSQL (PGlite) in memory, new (copied from the template)');
    // The copied database is a database of its own: reopened, it resumes with its row and nothing of the first.
    const db = await openEmbedded({ directory: folder('b'), template });
    try {
      expect(db.description).not.toMatch(/new/);
      const { rows } = await db.query<{ note: string }>(`SELECT note FROM probe ORDER BY note`);
      expect(rows.map((r) => r.note)).toEqual(['second']);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('a template PGlite cannot load is replaced: that database is made by initdb, and the next is copied again', async () => {
    writeFileSync(template, 'not a tarball');
    expect(await openAndUse({ directory: folder('c'), template }, 'after-bad')).toMatch(/, new \(initialised\)$/);
    expect(statSync(template).size).toBeGreaterThan(1_000_000);
    expect(await openAndUse({ directory: folder('d'), template }, 'again')).toMatch(/, new \(copied from the template\)$/);
  }, 60_000);

  it('a folder with files of its own is never filled from the template', async () => {
    const own = folder('own');
    mkdirSync(own);
    writeFileSync(path.join(own, 'notes.txt'), 'mine');
    expect(await openAndUse({ directory: own, template }, 'own')).toMatch(/, new \(initialised\)$/);
    expect(readdirSync(own)).toContain('notes.txt');
  }, 60_000);

  it('template: false makes no template and uses none', async () => {
    const unused = path.join(root, 'none', 'pglite-template-none.tar');
    expect(await openAndUse({ directory: undefined, template: false }, 'no-template')).toMatch(/, new \(initialised\)$/);
    expect(existsSync(unused)).toBe(false);
  }, 60_000);

  it('saving a template removes those of other PGlite versions', async () => {
    const cache = path.join(root, 'versions');
    mkdirSync(cache);
    writeFileSync(path.join(cache, 'pglite-template-0.0.1-1.tar'), 'old');
    writeFileSync(path.join(cache, 'unrelated.txt'), 'keep');
    const current = path.join(cache, 'pglite-template-0.5.14-1.tar');
    await openAndUse({ directory: folder('e'), template: current }, 'versions');
    expect(readdirSync(cache).sort()).toEqual(['pglite-template-0.5.14-1.tar', 'unrelated.txt']);
  }, 60_000);

  it('by default the template lives in the project’s node_modules/.cache, named by PGlite’s version', () => {
    expect(defaultTemplatePath()).toBe(
      path.resolve(import.meta.dirname, '../../../node_modules/.cache/switchboard/pglite-template-0.5.14-1.tar'),
    );
  });
});
