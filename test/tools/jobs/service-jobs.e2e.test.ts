import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { JobRepo } from '../../../store/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase } from '../../support/services.js';
import { runCli, spawnService, tempDataDir, type SpawnedService } from '../../support/spawn-service.js';
import { deadPid } from './job-queue.contract.js';

// The jobs runtime inside the real service: started with it, recovering what a previous life left running.
describe('jobs in the running service', () => {
  let service: SpawnedService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('runs the in-process runner on the embedded database, and `runs list` goes through the service', async () => {
    const dataDir = tempDataDir();
    service = await spawnService({ DATA_DIR: dataDir });
    expect(service.log()).toContain('"msg":"jobs: in-process jobs"');
    const result = await runCli(['runs', 'list'], { DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('no runs yet\n');
    // Through the service's admin API: it did not open the database itself.
    expect(result.stderr).toBe('');
  });

  describeNeeding('postgres')('on PostgreSQL', () => {
    it('marks a job the previous life of the service left running as interrupted when it starts', async () => {
      const t = await postgresTestDatabase();
      try {
        const repo = new JobRepo(t.db, new SystemClock());
        const r = await repo.create({ kind: 'deploy', params: { app: 'soarix-web' }, requestedBy: 'alice', idempotencyKey: 'e2e-1', lockKey: 'deploy:soarix-web:production', lockLabel: 'deploying abc123' });
        if (!('job' in r)) throw new Error('refused');
        await repo.claim(r.job.id, `${os.hostname()}:${deadPid()}:1:prev`, 60_000);
        service = await spawnService({ DATA_DIR: tempDataDir(), DATABASE_URL: t.url! });
        expect(await repo.get(r.job.id)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
        expect(await repo.lockHolder('deploy:soarix-web:production')).toBeUndefined();
        expect(service.log()).toContain('job interrupted by a restart');
        const show = await runCli(['runs', 'show', r.job.id.slice(0, 8)], { DATABASE_URL: t.url! });
        expect(show.stdout).toMatch(/^status:\s+interrupted$/m);
        await service.stop();
        service = undefined;
      } finally {
        await t.close();
      }
    });
  });
});
