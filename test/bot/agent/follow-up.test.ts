import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carryOver, FollowUps, FOLLOW_UP_WINDOW_MS, REFERENCE_WINDOW_MS } from '../../../bot/agent/dialog/follow-up.js';
import type { FollowUpSubject } from '../../../bot/agent/agent-state.js';
import { carriedOver } from '../../../bot/agent/wording.js';
import { OfflineUnderstander } from '../../../intents/index.js';
import { ThreadCheckpointSaver, type Person } from '../../../store/index.js';
import { AgentHarness } from '../../support/agent-harness.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
const deployed: FollowUpSubject = { app: 'soarix-web', env: 'staging', action: 'deploy.create', at: NOW - 5 * MINUTE };
const built: FollowUpSubject = { app: 'soarix-web', env: null, action: 'build.start', at: NOW - 5 * MINUTE };
const fill = (intent: Parameters<typeof carryOver>[0]['intent'], slots: Parameters<typeof carryOver>[0]['slots'], text: string, subject?: FollowUpSubject, now = NOW) =>
  carryOver({ intent, slots, text, now }, subject);

describe('carrying the app and environment over (pure)', () => {
  it('fills a missing app from the last subject, and the environment only when the message refers back', () => {
    expect(fill('deploy.create', { env: 'production' }, 'now prod', deployed)).toEqual({
      intent: 'deploy.create',
      slots: { app: 'soarix-web', env: 'production' },
      carried: { app: 'soarix-web' },
    });
    expect(fill('deploy.rollback', {}, 'roll it back', deployed).carried).toEqual({ app: 'soarix-web', env: 'staging' });
    // No back-reference, but recent: the required app and environment are carried (and said).
    expect(fill('deploy.rollback', {}, 'roll back', deployed).carried).toEqual({ app: 'soarix-web', env: 'staging' });
    // An optional environment is not guessed without a back-reference.
    expect(fill('deploy.status', { app: 'soarix-web' }, 'soarix-web status', deployed).carried).toEqual({});
    // After a build there is no environment to carry: the tool will ask.
    expect(fill('deploy.create', {}, 'ship that', built)).toMatchObject({ slots: { app: 'soarix-web' }, carried: { app: 'soarix-web' } });
  });

  it('says what it took, in words', () => {
    expect(carriedOver('soarix-web', { app: 'soarix-web' })).toBe('Taking this as soarix-web (from your last request).');
    expect(carriedOver('soarix-web', { app: 'soarix-web', env: 'staging' })).toBe('Taking this as soarix-web on staging (from your last request).');
    expect(carriedOver('soarix-web', { env: 'staging' })).toBe('Taking this as soarix-web on staging (the environment from your last request).');
  });

  it('never replaces an app the message names, and carries the environment only for the same app', () => {
    expect(fill('deploy.create', { app: 'acme-shop' }, 'deploy acme-shop too', deployed).carried).toEqual({});
    expect(fill('deploy.create', { app: 'soarix-web' }, 'deploy soarix-web again', deployed)).toMatchObject({
      slots: { app: 'soarix-web', env: 'staging' },
      carried: { env: 'staging' },
    });
  });

  it('an optional app (status questions) is carried only on a back-reference: "what\'s live?" still lists every app', () => {
    expect(fill('deploy.status', { env: 'production' }, "what's live on prod?", deployed).carried).toEqual({});
    expect(fill('build.status', {}, 'build status', built).carried).toEqual({});
    expect(fill('build.status', {}, 'is it done?', built)).toMatchObject({ intent: 'build.status', slots: { app: 'soarix-web' } });
  });

  it('"how did it go?" after a deploy asks about the deploy, unless it names builds', () => {
    expect(fill('build.status', {}, 'how did it go?', deployed)).toEqual({
      intent: 'deploy.status',
      slots: { app: 'soarix-web', env: 'staging' },
      carried: { app: 'soarix-web', env: 'staging' },
    });
    expect(fill('build.status', {}, 'did its build pass?', deployed).intent).toBe('build.status');
    // Not when the person may not ask about deploys (or no tool answers them).
    expect(carryOver({ intent: 'build.status', slots: {}, text: 'how did it go?', now: NOW }, deployed, () => false).intent).toBe('build.status');
  });

  it('forgets: a bare request after 30 minutes, a back-reference after 4 hours', () => {
    const old = (ms: number): FollowUpSubject => ({ ...deployed, at: NOW - ms - 1 });
    expect(fill('deploy.create', { env: 'production' }, 'now prod', old(FOLLOW_UP_WINDOW_MS)).carried).toEqual({});
    expect(fill('deploy.create', { env: 'production' }, 'deploy it to prod', old(FOLLOW_UP_WINDOW_MS)).carried).toEqual({ app: 'soarix-web' });
    expect(fill('deploy.create', { env: 'production' }, 'deploy it to prod', old(REFERENCE_WINDOW_MS)).carried).toEqual({});
    expect(fill('deploy.create', { env: 'production' }, 'deploy it', undefined).carried).toEqual({});
  });

  it('keeps each person apart, and writes the state only when a turn acted on an app', () => {
    const ana = { id: 'ana' } as Person;
    const bob = { id: 'bob' } as Person;
    const stored = { ana: deployed, gone: { ...deployed, at: NOW - REFERENCE_WINDOW_MS - 1 } };
    const forBob = new FollowUps(stored, { person: bob, now: NOW });
    expect(forBob.last).toBeUndefined();
    expect(forBob.update()).toEqual({});
    forBob.note('build.status', { app: null });
    expect(forBob.update()).toEqual({});
    forBob.note('build.start', { app: 'acme-shop', ref: 'main' });
    expect(forBob.update()).toEqual({ followUps: { ana: deployed, bob: { app: 'acme-shop', env: null, action: 'build.start', at: NOW } } });
    expect(new FollowUps(stored, { person: ana, now: NOW }).last).toEqual(deployed);
  });

  it('remembers the run a started or confirmed action made; a question about the same app and environment keeps it', () => {
    const ana = new FollowUps({}, { person: { id: 'ana' } as Person, now: NOW });
    ana.noteExecution({ action: 'deploy.create', params: { app: 'soarix-web', env: 'staging' }, idempotencyKey: 'confirmation:c1' });
    ana.note('deploy.status', { app: 'soarix-web', env: 'staging' });
    expect(ana.last).toEqual({ app: 'soarix-web', env: 'staging', action: 'deploy.status', at: NOW, runKey: 'confirmation:c1' });
    ana.noteExecution({ action: 'deploy.status', params: { app: 'soarix-web', env: 'production' }, idempotencyKey: 'message:m2:deploy.status' });
    expect(ana.last).toEqual({ app: 'soarix-web', env: 'production', action: 'deploy.status', at: NOW });
  });
});

/**
 * Through the whole bot (real understanding, embedded catalog on the sandbox providers, a manual
 * clock): the follow-ups a busy person types, each saying what it took from the last request.
 */
describe('follow-ups in a conversation', () => {
  let h: AgentHarness;
  const phraseIn = (reply: string) => /^(CONFIRM [A-Z0-9 .:_@-]+)$/m.exec(reply)?.[1];
  beforeAll(async () => {
    h = await AgentHarness.open(OfflineUnderstander.train(), { APPS: 'soarix-web,acme-shop' });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    await h.grant('ana', 'developer', 'Ana');
    await h.grant('bob', 'developer', 'Bob');
    await h.grant('boss', 'admin', 'Boss');
  });

  it('"deploy it to staging", "now prod", "roll it back": the app (and environment) come from the last request, said each time', async () => {
    expect(await h.say('ana', 'build soarix-web')).toMatch(/Started building soarix-web/);
    const staging = await h.say('ana', 'deploy it to staging');
    expect(staging).toMatch(/^Taking this as soarix-web \(from your last request\)\.\n.*deploying .*soarix-web to staging/);

    // Production is risky: the restatement names the carried app, and the phrase is for it.
    const prod = await h.say('ana', 'now prod');
    expect(prod).toMatch(/^Taking this as soarix-web \(from your last request\)\.\n.*Deploy soarix-web to production/);
    expect(phraseIn(prod)).toBe('CONFIRM DEPLOY SOARIX-WEB PRODUCTION');
    const audit = (await h.bot.audit.tail(100)).filter((r) => r.action === 'action.requested').at(-1)!;
    expect(audit.data).toMatchObject({ slots: { app: 'soarix-web', env: 'production' }, carriedOver: { app: 'soarix-web' } });
    expect(await h.say('ana', 'cancel')).toMatch(/^Cancelled: deploy/);

    // "roll it back" refers back: the app and environment of the last request (production, restated then cancelled).
    expect(await h.say('ana', 'roll it back')).toBe(
      'Taking this as soarix-web on production (from your last request).\nSANDBOX: Nothing is live on soarix-web production, so there is nothing to roll back.',
    );
  });

  it('"ship that" after a build asks only for the environment; "and to production too" restates the carried app', async () => {
    await h.say('ana', 'build acme-shop');
    expect(await h.say('ana', 'ship that')).toBe(
      'Taking this as acme-shop (from your last request).\nWhich environment: production, staging or preview?',
    );
    expect(await h.say('ana', 'staging')).toMatch(/^SANDBOX: Started deploying main of acme-shop to staging/);
    const prod = await h.say('ana', 'and to production too');
    expect(prod).toMatch(/^Taking this as acme-shop \(from your last request\)\.\nSANDBOX: Deploy acme-shop to production/);
    expect(phraseIn(prod)).toBe('CONFIRM DEPLOY ACME-SHOP PRODUCTION');
  });

  it('lives in the conversation\'s checkpoint, per person, with the run it started', async () => {
    expect(await h.say('ana', 'deploy soarix-web to staging', { conversation: 'team' })).toMatch(/Started deploying main of soarix-web to staging/);
    await h.say('bob', 'build acme-shop', { conversation: 'team' });
    const conversation = await h.bot.conversations.ensure('webchat', 'team');
    const saver = new ThreadCheckpointSaver(h.stores.db);
    const saved = await saver.getTuple({ configurable: { thread_id: conversation.id } });
    const followUps = saved!.checkpoint.channel_values.followUps as Record<string, FollowUpSubject>;
    const people = await h.bot.people.list();
    const id = (name: string) => people.find((p) => p.displayName === name)!.id;
    expect(Object.keys(followUps).sort()).toEqual([id('Ana'), id('Bob')].sort());
    expect(followUps[id('Ana')]).toMatchObject({ app: 'soarix-web', env: 'staging', action: 'deploy.create' });
    expect(followUps[id('Bob')]).toMatchObject({ app: 'acme-shop', env: null, action: 'build.start' });
    // The run each started is the job keyed by the remembered run key.
    const [deploy] = await h.bot.jobs.list({ kind: 'deploy' });
    const [build] = await h.bot.jobs.list({ kind: 'build' });
    expect(followUps[id('Ana')]!.runKey).toBe(deploy!.idempotencyKey);
    expect(followUps[id('Bob')]!.runKey).toBe(build!.idempotencyKey);
  });

  it('asks instead when there is nothing to carry: another person, another conversation, or too long ago', async () => {
    await h.say('ana', 'build soarix-web', { conversation: 'team' });
    // Bob in the same group chat: Ana's app is not his "it".
    expect(await h.say('bob', 'deploy it to staging', { conversation: 'team' })).not.toContain('soarix-web (from your last request)');
    // Ana in another conversation.
    expect(await h.say('ana', 'deploy it to staging', { conversation: 'ana-dm' })).not.toContain('from your last request');
    // Ana back in the group chat, five hours later.
    await h.clock.advance(5 * 60 * MINUTE);
    expect(await h.say('ana', 'deploy it to staging', { conversation: 'team' })).not.toContain('from your last request');
  });

  it('survives a restart (the checkpoint holds it), and "the same one" answers "Which app?"', async () => {
    await h.say('ana', 'build acme-shop');
    await h.restart();
    expect(await h.say('ana', 'build it again')).toMatch(/^Taking this as acme-shop \(from your last request\)\.\nSANDBOX: Started building acme-shop/);
    // 40 minutes on, a bare "start build" no longer takes it by itself; pointing back does.
    await h.clock.advance(40 * MINUTE);
    expect(await h.say('ana', 'start build')).toBe('Which app? (soarix-web, acme-shop)');
    expect(await h.say('ana', 'the same one')).toMatch(/^Taking this as acme-shop \(from your last request\)\.\nSANDBOX: Started building acme-shop/);
  });
});
