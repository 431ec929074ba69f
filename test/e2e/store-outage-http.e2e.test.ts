import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../support/private-servers.js';
import { spawnService, tempDataDir, type SpawnedService } from '../support/spawn-service.js';

/**
 * The HTTP face of a store outage (issue 9, findings 1 and 6): the real service on a PostgreSQL and a
 * Redis of the test's own. While a store is down or hung, requests get 503 with Retry-After (never
 * 500, never a crash), /ready answers within 2 s and names the store that is down, and everything
 * works again once the store is back, without restarting the service.
 */
let pg: PrivateServer;
let redis: PrivateServer;
let service: SpawnedService;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  service = await spawnService({ DATABASE_URL: pg.url, REDIS_URL: redis.url, DATA_DIR: tempDataDir() });
});

afterAll(async () => {
  pg?.resume();
  redis?.resume();
  await service?.stop();
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

let n = 0;
async function converse(text: string): Promise<{ status: number; retryAfter: string | null; body: { error?: { code: string; message: string } } }> {
  const response = await fetch(`${service.url}/api/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ana', text, messageId: `m-${++n}` }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as never };
}

async function ready(): Promise<{ status: number; ms: number; body: { status: string; stores: Record<string, boolean> } }> {
  const started = Date.now();
  const response = await fetch(`${service.url}/ready`);
  return { status: response.status, ms: Date.now() - started, body: (await response.json()) as never };
}

async function waitReady(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await ready()).status !== 200) {
    if (Date.now() > deadline) throw new Error('the service did not become ready again');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectUnavailable(answer: Awaited<ReturnType<typeof converse>>): void {
  expect(answer.status).toBe(503);
  expect(answer.retryAfter).toMatch(/^\d+$/);
  expect(answer.body.error?.code).toBe('store_error');
  expect(answer.body.error?.message).not.toMatch(/postgres|redis|127\.0\.0\.1|ECONN|terminated/i);
}

describe('the service while a store is down', () => {
  it('answers 503 with Retry-After and a /ready that names the store, and recovers by itself', async () => {
    expect((await converse('hello')).status).toBe(200);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready', stores: { durable: true, hot: true } } });

    // PostgreSQL stopped.
    await pg.stop();
    expectUnavailable(await converse('hello again'));
    const pgDown = await ready();
    expect(pgDown).toMatchObject({ status: 503, body: { status: 'not ready', stores: { durable: false, hot: true } } });
    expect(pgDown.ms).toBeLessThan(2_500);
    await pg.start();
    await waitReady();
    expect((await converse('back')).status).toBe(200);

    // Redis hung: commands time out instead of waiting for ever.
    redis.pause();
    try {
      const hung = await ready();
      expect(hung).toMatchObject({ status: 503, body: { stores: { durable: true, hot: false } } });
      expect(hung.ms).toBeLessThan(2_500);
      expectUnavailable(await converse('during the hang'));
    } finally {
      redis.resume();
    }
    await waitReady();

    // Redis killed.
    await redis.kill();
    expectUnavailable(await converse('redis gone'));
    expect(await ready()).toMatchObject({ status: 503, body: { stores: { durable: true, hot: false } } });
    await redis.start();
    await waitReady();
    expect((await converse('all back')).status).toBe(200);

    expect(service.process.exitCode).toBeNull();
    expect(service.log()).not.toMatch(/"statusCode":500|"code":"internal"/);
  });
});
