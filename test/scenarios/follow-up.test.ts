import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoChat, git, phraseIn } from '../support/demo-chat.js';

/**
 * Follow-ups from the web chat, the way a busy person types them ("deploy it to staging", "now prod",
 * "how did it go?", "roll it back"), on the demo app built and deployed for real by the local providers
 * (PGlite, in-process job runner): each takes the app (and environment) from the person's last request in
 * this conversation and says so, a risky one restates the carried app with its phrase, and nobody else's
 * request (another person in the group chat, another conversation) is carried over.
 */

const demo = new DemoChat();
const { say, waitForPost, liveFile, freshBot } = demo;
beforeAll(demo.open);
afterAll(demo.close);
afterEach(demo.cleanup);

describe('follow-ups in the web chat', () => {
  it('"deploy it to staging", "now prod", "how did it go?", "roll it back": each names the app it took, and does it', { timeout: 120_000 }, async () => {
    await freshBot();
    const repo = path.join(demo.dataDir, 'demo', 'demo-site');
    const first = git(repo, 'rev-parse', 'HEAD').slice(0, 7);

    expect(await say('ana', 'build demo-site', 'ops')).toMatch(/^Started building demo-site at main/);
    await waitForPost('ops', /Built demo-site/);

    // "it" is demo-site: said, then deployed for real.
    const staging = await say('ana', 'deploy it to staging', 'ops');
    expect(staging).toMatch(new RegExp(`^Taking this as demo-site \\(from your last request\\)\\.\\nStarted deploying ${first} of demo-site to staging`));
    await waitForPost('ops', /demo-site is live on staging/);
    expect(liveFile('staging', 'version.txt')).toBe(first);

    // Bob, in the same group chat, has no last request: he is asked, not given Ana's app.
    const bobs = await say('bob', 'deploy it to staging', 'ops');
    expect(bobs).toBe('Which app? (demo-site, soarix-web, acme-shop)');
    await say('bob', 'cancel', 'ops');

    // "now prod": risky, so the restatement names the carried app and the phrase is for it.
    const prompt = await say('ana', 'now prod', 'ops');
    expect(prompt).toMatch(/^Taking this as demo-site \(from your last request\)\.\nDeploy demo-site to production: build run #/);
    expect(phraseIn(prompt)).toBe('CONFIRM DEPLOY DEMO-SITE PRODUCTION');
    expect(await say('boss', 'CONFIRM DEPLOY DEMO-SITE PRODUCTION', 'ops')).toMatch(/Started deploying [0-9a-f]{7} of demo-site to production/);
    await waitForPost('ops', /demo-site is live on production/);
    expect(liveFile('production', 'version.txt')).toBe(first);

    // "how did it go?" after a deploy is about that deploy (demo-site on production), not the builds.
    const how = await say('ana', 'how did it go?', 'ops');
    expect(how).toMatch(/^Taking this as demo-site on production \(from your last request\)\./);
    expect(how).toContain(`demo-site production: ${first} live since`);

    // The admin who confirmed it: his "roll it back" is that deploy; the first release of production has
    // nothing before it, which is said at once, with no phrase asked for.
    const rollback = await say('boss', 'roll it back', 'ops');
    expect(rollback).toBe(
      `Taking this as demo-site on production (from your last request).\nOnly one release of demo-site has gone live on production (${first}), so there is nothing earlier to roll back to.`,
    );
    expect(phraseIn(rollback)).toBeUndefined();

    // Another conversation starts with nothing to refer back to.
    const elsewhere = await say('ana', 'deploy it to staging', 'ana-dm');
    expect(elsewhere).toBe('Which app? (demo-site, soarix-web, acme-shop)');
  });
});
