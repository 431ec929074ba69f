import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_VERCEL_TOKEN, VercelFake } from './index.js';

describe('Vercel fake: refuses what Vercel refuses, in its error shape', () => {
  let fake: VercelFake;
  beforeEach(async () => {
    fake = await new VercelFake().start();
    fake.addProject('web', { repo: 'acme/web' });
  });
  afterEach(async () => {
    await fake.stop();
  });
  const create = (body: unknown, auth: string | null = `Bearer ${FAKE_VERCEL_TOKEN}`) =>
    fetch(`${fake.url}/v13/deployments`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });

  it('a missing or wrong token is refused with {"error":{"code","message"}}', async () => {
    const missing = await create({ name: 'web' }, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'forbidden', missingToken: true } });
    expect(await (await create({ name: 'web' }, 'Bearer wrong')).json()).toMatchObject({ error: { code: 'forbidden', invalidToken: true } });
  });

  it('name is required, the target must be one Vercel knows, the Git source must match the project', async () => {
    const noName = await create({ project: 'web' });
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { error: { message: string } }).error.message).toContain('`name`');
    const git = { type: 'github', org: 'acme', repo: 'web', ref: 'main', sha: 'abc' };
    expect((await create({ name: 'web', target: 'prod', gitSource: git })).status).toBe(400);
    expect((await create({ name: 'web', gitSource: { ...git, repo: 'other' } })).status).toBe(400);
    const ok = await create({ name: 'web', target: 'production', gitSource: git });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: expect.stringMatching(/^dpl_/), readyState: 'QUEUED', target: 'production' });
  });
});
