import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkRequirements, databaseUrl, redisUrl, skippedRequirements } from './requirements.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
// Nothing listens on port 1 (privileged, never a service here): a refused connection, at once.
const DEAD = { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://sb:hunter2-secret@127.0.0.1:1/test' };

/** A nested `vitest run` of `files` with `env` added; its exit code and everything it printed. */
async function vitest(env: Record<string, string>, ...files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/vitest'), ['run', ...files], {
      cwd: root,
      env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('what the test suites need from the machine', () => {
  it('finds everything this run needs (the globalSetup let it start), Redis and PostgreSQL at 127.0.0.1 when the URLs are unset', async () => {
    const outcome = await checkRequirements(process.env);
    expect(outcome.missing).toEqual([]);
    expect(outcome.message).toBe('');
    expect([redisUrl({}), databaseUrl({ DATABASE_URL: '' })]).toEqual(['redis://127.0.0.1:6379', 'postgres://postgres@127.0.0.1:5432/test']);
    expect(redisUrl({ REDIS_URL: 'redis://cache:6380' })).toBe('redis://cache:6380');
  });

  it('names every missing service in one message, with the command that starts it and the opt-out, never a password', async () => {
    const outcome = await checkRequirements({ ...process.env, ...DEAD, SWITCHBOARD_TEST_SKIP: undefined });
    expect(outcome.missing).toEqual(['redis', 'postgres']);
    expect(outcome.message).toMatch(/^The tests need what this machine does not have: Redis \(nothing answers PING at redis:\/\/127\.0\.0\.1:1\); PostgreSQL \(no connection to postgres:\/\/sb:\*\*\*@127\.0\.0\.1:1\/test\)\./);
    expect(outcome.message).toContain('redis: redis-server --daemonize yes --bind 127.0.0.1 --port 6379');
    expect(outcome.message).toContain('postgres: pg_ctlcluster --skip-systemctl-redirect');
    expect(outcome.message).toContain('SWITCHBOARD_TEST_SKIP=redis,postgres npm test');
    expect(outcome.message).not.toContain('hunter2');
  });

  it('does not probe what SWITCHBOARD_TEST_SKIP names, and reports it as skipped', async () => {
    const outcome = await checkRequirements({ ...process.env, ...DEAD, SWITCHBOARD_TEST_SKIP: ' redis , postgres,redis' });
    expect(outcome).toEqual({ missing: [], skipped: ['redis', 'postgres'], message: '' });
  });

  it('refuses a name it does not know, so a typo cannot turn into a silent run', () => {
    expect(() => skippedRequirements({ SWITCHBOARD_TEST_SKIP: 'redis,potsgres' })).toThrowError(
      /SWITCHBOARD_TEST_SKIP names "potsgres", which the tests do not know\. Known: redis, postgres, browser, espeak-ng, opusenc, ffmpeg, clinc150, whatsapp-web\.js\./,
    );
  });

  it('stops a whole vitest run before any test when a service is missing', async () => {
    const { code, output } = await vitest({ REDIS_URL: DEAD.REDIS_URL, SWITCHBOARD_TEST_SKIP: '' }, 'test/config/webchat-default-role.test.ts');
    expect(code).not.toBe(0);
    expect(output).toContain('The tests need what this machine does not have: Redis (nothing answers PING at redis://127.0.0.1:1)');
    expect(output).not.toMatch(/Tests\s+\d+ passed/);
  });

  it('skips, and names, every suite that needs what SWITCHBOARD_TEST_SKIP lists', async () => {
    // Whatever this run already skips stays skipped in the nested one; redis is added.
    const skip = [...new Set([...skippedRequirements(process.env), 'redis'])].join(',');
    const { code, output } = await vitest({ REDIS_URL: DEAD.REDIS_URL, SWITCHBOARD_TEST_SKIP: skip }, 'test/store/hot/redis-hot-store.int.test.ts');
    expect(code).toBe(0);
    expect(output).toMatch(/\[SWITCHBOARD_TEST_SKIP\] skipping on purpose every suite that needs: .*\bredis\b/);
    expect(output).toContain('[SWITCHBOARD_TEST_SKIP] skipped suite "Redis" (needs redis)');
    expect(output).toMatch(/Tests\s+\d+ skipped/);
  });
});
