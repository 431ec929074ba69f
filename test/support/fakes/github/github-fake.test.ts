import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_GITHUB_TOKEN, GitHubFake } from './index.js';

describe('GitHub fake: refuses what GitHub refuses', () => {
  let fake: GitHubFake;
  beforeEach(async () => {
    fake = await new GitHubFake().start();
    fake.addRepo('acme/web', { workflows: [{ id: 7, file: 'build.yml', dispatchable: true, inputs: ['env'] }] });
  });
  afterEach(async () => {
    await fake.stop();
  });
  const post = (path: string, body: unknown, auth: string | null = `Bearer ${FAKE_GITHUB_TOKEN}`) =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });

  it('401 Bad credentials without a token or with a wrong one', async () => {
    const none = await post('/repos/acme/web/actions/workflows/build.yml/dispatches', { ref: 'main' }, null);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await post('/repos/acme/web/actions/workflows/build.yml/dispatches', { ref: 'main' }, 'token nope')).status).toBe(401);
  });

  it('422 without a ref; 204 and a queued run for a good dispatch, addressed by file name or id', async () => {
    const noRef = await post('/repos/acme/web/actions/workflows/build.yml/dispatches', { inputs: {} });
    expect(noRef.status).toBe(422);
    expect(((await noRef.json()) as { message: string }).message).toContain('"ref" wasn\'t supplied');
    const ok = await post('/repos/acme/web/actions/workflows/7/dispatches', { ref: 'main', inputs: { env: 'staging' } });
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    const run = [...fake.runs.values()][0]!;
    expect(run).toMatchObject({ event: 'workflow_dispatch', head_branch: 'main', inputs: { env: 'staging' } });
    expect(run.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
