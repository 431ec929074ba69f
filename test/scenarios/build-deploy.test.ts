import { execFileSync } from 'node:child_process';
import { readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobRepo } from '../../store/index.js';
import { addAppToCatalogFile } from '../../tools/apps/index.js';
import { DemoChat, git, phraseIn } from '../support/demo-chat.js';

/**
 * Build and deploy from the chat, for real: the demo app (a git repository made by `switchboard demo
 * init`) built by the local provider and deployed into a temporary folder by the local provider, on
 * PGlite with the in-process job runner; progress read from the messages the bridge stores for the
 * conversation. Sandbox apps (slow steps) stand in where a run must still be going: locks, cancel, restart.
 */

const demo = new DemoChat();
const { say, posted, waitForPost, served, liveFile, sites, freshBot, startBot, stopBot } = demo;
beforeAll(demo.open);
afterAll(demo.close);
afterEach(demo.cleanup);

describe('build and deploy the demo app from the chat', () => {
  it('builds, deploys to staging, deploys to production on an admin phrase, and rolls back', { timeout: 120_000 }, async () => {
    await freshBot();
    const repo = path.join(demo.dataDir, 'demo', 'demo-site');
    const first = git(repo, 'rev-parse', 'HEAD');

    // build → started → succeeded with the commit
    expect(await say('ana', 'build demo app', 'ops')).toMatch(/^Started building demo-site at main \(run #[0-9a-f]{8}\)/);
    const built = await waitForPost('ops', /Built demo-site/);
    expect(built).toContain(`Built demo-site at ${first.slice(0, 7)}`);
    expect(built).not.toContain('SANDBOX');
    expect(await posted('ops')).toContainEqual(expect.stringMatching(/demo-site \(run #[0-9a-f]{8}\): checkout…/));

    // staging is safe: no phrase, live at once, served through `current`
    const staging = await say('ana', 'deploy demo-site to staging', 'ops');
    expect(staging).toMatch(/^Started deploying [0-9a-f]{7} of demo-site to staging \(run #/);
    // the final message says where the service shows it
    expect(await waitForPost('ops', /demo-site is live on staging/)).toMatch(/ http:\/\/\S+\/sites\/demo-site\/staging\/$/);
    expect(liveFile('staging', 'version.txt')).toBe(first.slice(0, 7));
    expect(liveFile('staging', 'index.html')).toContain('Hello from the Switchboard demo site');
    expect(await served('staging')).toContain('Hello from the Switchboard demo site');
    // one release live and none before it: nothing to roll back to, said at once (no phrase asked for)
    expect(await say('ana', 'roll back demo-site on staging', 'ops')).toBe(
      `Only one release of demo-site has gone live on staging (${first.slice(0, 7)}), so there is nothing earlier to roll back to.`,
    );

    // production: the restatement names the build, what is live (nothing yet) and the phrase
    const prompt1 = await say('ana', 'deploy demo-site to production', 'ops');
    expect(prompt1).toMatch(/Deploy demo-site to production: build run #[0-9a-f]{8} \(commit [0-9a-f]{7}, main\)\./);
    expect(prompt1).toContain('Nothing is live on production yet.');
    expect(phraseIn(prompt1)).toBe('CONFIRM DEPLOY DEMO-SITE PRODUCTION');
    // the developer who asked may not confirm a production deploy; an admin in the same conversation may
    expect(await say('ana', 'CONFIRM DEPLOY DEMO-SITE PRODUCTION', 'ops')).toBe('Only an owner or an admin can confirm this.');
    expect(await demo.bot!.jobs.list({ kind: 'deploy', status: 'succeeded' })).toHaveLength(1);
    expect(await say('boss', 'CONFIRM DEPLOY DEMO-SITE PRODUCTION', 'ops')).toMatch(/Started deploying [0-9a-f]{7} of demo-site to production/);
    await waitForPost('ops', /demo-site is live on production/);
    expect(liveFile('production', 'version.txt')).toBe(first.slice(0, 7));

    // a new commit, built and deployed: the restatement says what is live now and what changes
    writeFileSync(path.join(repo, 'site', 'index.html'), '<h1>Version two</h1>\n');
    git(repo, 'commit', '-qam', 'Version two');
    const second = git(repo, 'rev-parse', 'HEAD');
    await say('ana', 'build demo-site', 'ops');
    await waitForPost('ops', new RegExp(`Built demo-site at ${second.slice(0, 7)}`));
    const prompt2 = await say('boss', 'deploy demo-site to production', 'ops');
    expect(prompt2).toMatch(new RegExp(`Live there now: ${first.slice(0, 7)} since .+, deployed by Boss\\.`));
    expect(prompt2).toContain(`What changes: ${first.slice(0, 7)} → ${second.slice(0, 7)} (1 commit).`);
    expect(await say('boss', phraseIn(prompt2)!, 'ops')).toMatch(/Started deploying/);
    await waitForPost('ops', new RegExp(`demo-site is live on production: ${second.slice(0, 7)}`));
    expect(liveFile('production', 'index.html')).toContain('Version two');
    expect(await served('production')).toContain('Version two');

    // what's live
    const status = await say('ana', "what's live on prod?", 'ops');
    expect(status).toContain(`demo-site production: ${second.slice(0, 7)} live since`);
    expect(status).toMatch(/demo-site production: .+ \(http:\/\/\S+\/sites\/demo-site\/production\/\)$/m);
    expect(status).toContain('Nobody is deploying');

    // roll back production: the phrase, then the previous release is live again
    const prompt3 = await say('boss', 'roll back demo-site on production', 'ops');
    expect(prompt3).toContain(`What changes: ${second.slice(0, 7)} → ${first.slice(0, 7)}.`);
    expect(phraseIn(prompt3)).toBe('CONFIRM ROLLBACK DEMO-SITE PRODUCTION');
    expect(await say('boss', phraseIn(prompt3)!, 'ops')).toMatch(/Rolling back demo-site on production/);
    await waitForPost('ops', /Rolled back demo-site on production/);
    expect(liveFile('production', 'version.txt')).toBe(first.slice(0, 7));
    expect(liveFile('production', 'index.html')).toContain('Hello from the Switchboard demo site');
    expect(await served('production', 'version.txt')).toBe(`${first.slice(0, 7)}\n`);
  });
});

describe('runs that are still going', () => {
  it('a second deploy of the same app and environment is told who holds the lock, and may queue behind it', { timeout: 60_000 }, async () => {
    await freshBot();
    expect(await say('ana', 'deploy soarix-web to staging', 'ana-chat')).toMatch(/^SANDBOX: Started deploying main of soarix-web to staging/);
    const second = await say('bob', 'deploy soarix-web to staging', 'bob-chat');
    expect(second).toMatch(/^SANDBOX: I can't deploy soarix-web to staging right now: Ana has been deploying main of soarix-web to staging since .+ \(run #[0-9a-f]{8}\)/);
    expect(second).toContain('after it');
    expect(await say('bob', 'deploy soarix-web to staging after it', 'bob-chat')).toMatch(/^SANDBOX: Queued the deploy/);
    expect(await say('carl', 'is anyone deploying soarix-web?', 'carl-chat')).toMatch(/Right now:\n• SANDBOX: soarix-web staging: Ana has been deploying/);
    await waitForPost('ana-chat', /SANDBOX: ✅ soarix-web is live on staging/);
    await waitForPost('bob-chat', /SANDBOX: ✅ soarix-web is live on staging/, 40_000);
  });

  it('"cancel the build" stops the requester\'s running build; a bare cancel with nothing running still says so', { timeout: 60_000 }, async () => {
    await freshBot();
    expect(await say('ana', 'cancel', 'ana-chat')).toBe('There is nothing to cancel.');
    expect(await say('ana', 'build soarix-web', 'ana-chat')).toMatch(/^SANDBOX: Started building soarix-web/);
    await waitForPost('ana-chat', /soarix-web \(run #[0-9a-f]{8}\): checkout…/);
    expect(await say('ana', 'cancel the build', 'ana-chat')).toMatch(/^SANDBOX: (Cancelled|Stopping) the build of soarix-web \(run #/);
    await waitForPost('ana-chat', /SANDBOX: Cancelled the build of soarix-web \(run #[0-9a-f]{8}\)/);
    const [job] = await demo.bot!.jobs.list({ kind: 'build' });
    expect(job!.status).toBe('cancelled');
    // a pending confirmation is still what "cancel" cancels
    const prompt = await say('ana', 'deploy soarix-web to production', 'ana-chat');
    expect(phraseIn(prompt)).toBe('CONFIRM DEPLOY SOARIX-WEB PRODUCTION');
    expect(await say('ana', 'cancel', 'ana-chat')).toMatch(/^Cancelled: deploy\. Nothing was changed\./);
  });

  it('a restart in the middle of a deploy: the job is interrupted, the requester told, nothing half-switched', { timeout: 60_000 }, async () => {
    await freshBot();
    // A staging target whose health check takes long enough to stop the service during it.
    addAppToCatalogFile(demo.catalogFile, {
      name: 'slow-site',
      repository: path.join(demo.dataDir, 'demo', 'demo-site'),
      build: { provider: 'local', commands: ['rm -rf dist && mkdir -p dist && cp -R site/. dist/'], output: 'dist' },
      environments: { staging: { provider: 'local', path: path.join(sites(), 'slow'), healthCheck: { command: 'sleep 20' } } },
    });
    await stopBot();
    await startBot();
    expect(await say('ana', 'deploy slow-site to staging', 'ana-chat')).toMatch(/Started deploying main of slow-site to staging/);
    await waitForPost('ana-chat', /slow-site staging \(run #[0-9a-f]{8}\): health check…/);
    expect(readlinkSync(path.join(sites(), 'slow', 'current'))).toMatch(/^releases\//);
    await stopBot(); // the service stops mid-deploy
    await startBot(); // and starts again
    const told = await waitForPost('ana-chat', /The deploy of slow-site to staging \(run #[0-9a-f]{8}\) was interrupted/);
    expect(told).toMatch(/at step "health check"/);
    const [job] = await demo.bot!.jobs.list({ kind: 'deploy' });
    expect(job!.status).toBe('interrupted');
    // nothing was live before, and the unverified release is not left live
    expect(() => readlinkSync(path.join(sites(), 'slow', 'current'))).toThrow();
  });

  it('a crash mid-deploy: at start the job is interrupted, the unverified release taken down, the last good one live, the requester told', { timeout: 60_000 }, async () => {
    await freshBot();
    await say('ana', 'build demo-site', 'ana-chat');
    await waitForPost('ana-chat', /Built demo-site/);
    await say('ana', 'deploy demo-site to staging', 'ana-chat');
    await waitForPost('ana-chat', /demo-site is live on staging/);
    const good = readlinkSync(path.join(sites(), 'staging', 'current'));
    const ana = (await demo.bot!.people.list()).find((p) => p.displayName === 'Ana')!;
    const conversation = await demo.bot!.conversations.ensure('webchat', 'ana-chat');
    await stopBot();

    // What a process killed during the health check of a second deploy leaves: a new release live but
    // never verified (status pending), and its job still "running" on a worker that is gone.
    const releases = path.join(sites(), 'staging', 'releases');
    const unverified = `99991231T000000000Z-${'b'.repeat(12)}`;
    execFileSync('cp', ['-R', path.join(releases, good.replace(/^releases\//, '')), path.join(releases, unverified)]);
    writeFileSync(
      path.join(sites(), 'staging', '.releases', `${unverified}.json`),
      JSON.stringify({ releaseId: unverified, commit: 'b'.repeat(40), deployId: 'x', createdAt: new Date().toISOString(), status: 'pending', liveSince: new Date().toISOString() }),
    );
    execFileSync('ln', ['-sfn', `releases/${unverified}`, path.join(sites(), 'staging', 'current')]);
    const repo = new JobRepo(demo.stores.db, demo.clock);
    const created = await repo.create({
      kind: 'deploy',
      params: { app: 'demo-site', env: 'staging', ref: 'main' },
      requestedBy: ana.id,
      conversationId: conversation.id,
      idempotencyKey: 'crashed-deploy',
      lockKey: 'deploy:demo-site:staging',
      lockLabel: 'deploying bbbbbbb of demo-site to staging',
    });
    if (!('job' in created)) throw new Error('not created');
    await repo.claim(created.job.id, 'gone-worker', 60_000);
    await repo.saveSteps(created.job.id, 'gone-worker', [{ name: 'health check', startedAt: Date.now() }]);

    await startBot();
    const told = await waitForPost('ana-chat', /The deploy of demo-site to staging \(run #[0-9a-f]{8}\) was interrupted/);
    expect(told).toContain(`The release it had switched to (${unverified}) was not verified, so it was taken down; ${good.replace(/^releases\//, '')} is live again.`);
    expect(readlinkSync(path.join(sites(), 'staging', 'current'))).toBe(good);
    expect((await demo.bot!.jobs.get(created.job.id))!.status).toBe('interrupted');
  });
});
