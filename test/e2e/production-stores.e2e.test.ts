import { MIGRATIONS } from '../../store/durable/migrations.js';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { describeNeeding } from '../support/needs.js';
import { createEmptyPostgresDatabase, REDIS_URL } from '../support/services.js';
import { runCli, spawnService, tempDataDir, WebchatVisitor } from '../support/spawn-service.js';

describeNeeding('postgres', 'redis')('switchboard serve with DATABASE_URL and REDIS_URL', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('uses PostgreSQL and Redis, runs the migrations on start, and shares the store with a second instance and the CLI', async () => {
    const database = await createEmptyPostgresDatabase();
    cleanups.push(() => database.drop());
    const env = { DATABASE_URL: database.url, REDIS_URL, DATA_DIR: tempDataDir() };

    const a = await spawnService(env);
    cleanups.push(() => a.stop());
    expect(a.log()).toMatch(/stores ready: PostgreSQL at 127\.0\.0\.1:5432\/sb_test_\w+; Redis at 127\.0\.0\.1:6379/);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());
    const migrations = await client.query('SELECT version FROM schema_migrations');
    expect(migrations.rows.map((r) => Number(r.version)).sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));

    // A second instance on the same stores: no data-folder lock, migrations already applied.
    const b = await spawnService(env);
    cleanups.push(() => b.stop());
    const visitor = new WebchatVisitor(a.url);
    expect(await visitor.say('hello')).toHaveLength(1);
    expect(await visitor.moveTo(b.url).history()).toHaveLength(2);

    const grant = await runCli(['users', 'grant', 'slack:U024BE7LH', 'developer'], env);
    expect(grant).toMatchObject({ code: 0, stdout: 'slack:U024BE7LH is now developer\n' });
    const people = await client.query(`SELECT p.role FROM people p JOIN identities i ON i.person_id = p.id WHERE i.external_id = 'U024BE7LH'`);
    expect(people.rows).toEqual([{ role: 'developer' }]);
  });
});
