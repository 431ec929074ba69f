import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { AuditLog, ConfirmationRepo, ConversationRepo, PeopleRepo, ToolRunRepo, type Person } from '../../store/index.js';
import {
  ConfirmationRequiredError,
  hashParams,
  RolePolicy,
  ToolExecutor,
  ToolFailedError,
  ToolRegistry,
  type ToolAction,
} from '../../tools/index.js';
import { truncateAll } from '../store/durable/durable-store.contract.js';
import { embeddedTestDatabase, type TestDatabase } from '../support/services.js';

/** A risky action that counts its executions. */
function countingAction(name: string, risk: 'safe' | 'risky' | 'critical') {
  const executed: number[] = [];
  const action: ToolAction<{ n: number }> = {
    name,
    input: z.object({ n: z.number().int() }),
    prepare: async () => ({ ok: true, params: { n: 1 } }),
    risk: () => risk,
    plan: (p) => `do ${p.n}`,
    phrase: (p) => ({ verb: 'do', target: 'thing', qualifier: String(p.n) }),
    execute: async (p) => {
      executed.push(p.n);
      if (p.n < 0) throw new Error('negative numbers explode');
      return { summary: `did ${p.n}` };
    },
  };
  return { action, executed };
}

let t: TestDatabase;
const clock = new ManualClock();
let executor: ToolExecutor;
let confirmations: ConfirmationRepo;
let audit: AuditLog;
let requester: Person;
let admin: Person;
let sales: Person;
let conversationId: string;
let otherConversationId: string;
let risky: ReturnType<typeof countingAction>;
let safe: ReturnType<typeof countingAction>;

beforeAll(async () => {
  t = await embeddedTestDatabase();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await truncateAll(t);
  const people = new PeopleRepo(t.db, clock);
  const conversations = new ConversationRepo(t.db, clock);
  confirmations = new ConfirmationRepo(t.db, clock);
  audit = new AuditLog(t.db, clock);
  requester = await people.grant('webchat', 'dev', 'developer');
  admin = await people.grant('webchat', 'boss', 'admin');
  sales = await people.grant('webchat', 'sam', 'sales');
  conversationId = (await conversations.ensure('webchat', 'room')).id;
  otherConversationId = (await conversations.ensure('webchat', 'elsewhere')).id;
  risky = countingAction('test.risky', 'risky');
  safe = countingAction('test.safe', 'safe');
  executor = new ToolExecutor({
    db: t.db,
    actions: new ToolRegistry([risky.action, safe.action] as never[]),
    confirmations,
    runs: new ToolRunRepo(t.db, clock),
    people,
    audit,
    policy: new RolePolicy({ start: {}, confirm: { 'test.risky': { requesterMayConfirm: false, confirmers: ['owner', 'admin'] } } }),
    clock,
    logger: silentLogger(),
  });
});

async function issue(params = { n: 1 }, conversation = conversationId) {
  return confirmations.create({
    conversationId: conversation,
    requesterId: requester.id,
    action: 'test.risky',
    params,
    paramsHash: hashParams('test.risky', params),
    risk: 'risky',
    phrase: 'CONFIRM DO THING 1',
    ttlMs: 300_000,
  });
}

const run = (confirmationId?: string, params = { n: 1 }, conversation = conversationId) =>
  executor.execute({
    action: 'test.risky',
    params,
    actor: requester,
    conversationId: conversation,
    timezone: 'UTC',
    idempotencyKey: 'unused-for-risky',
    ...(confirmationId ? { confirmationId } : {}),
  });

describe('ToolExecutor', () => {
  it('runs a safe action once per idempotency key and replays its result', async () => {
    const request = { action: 'test.safe', params: { n: 7 }, actor: requester, conversationId, timezone: 'UTC', idempotencyKey: 'msg-1' };
    expect(await executor.execute(request)).toEqual({ summary: 'did 7' });
    expect(await executor.execute(request)).toEqual({ summary: 'did 7' });
    expect(safe.executed).toEqual([7]);
  });

  it('refuses a risky action with no confirmation, and audits the refusal', async () => {
    await expect(run()).rejects.toBeInstanceOf(ConfirmationRequiredError);
    expect(risky.executed).toEqual([]);
    expect((await audit.tail(5)).map((r) => r.action)).toEqual(['execution.refused']);
  });

  it('refuses a confirmation that is still pending (phrase never typed)', async () => {
    const c = await issue();
    await expect(run(c.id)).rejects.toThrow(/confirmation is pending/);
    expect(risky.executed).toEqual([]);
  });

  it('refuses a confirmation given by someone the policy does not allow, even the requester', async () => {
    const c = await issue();
    await confirmations.confirm(c.id, requester.id, '00000000-0000-0000-0000-0000000000a1');
    await expect(run(c.id)).rejects.toThrow(/may not confirm/);
    const d = await issue();
    await confirmations.confirm(d.id, sales.id, '00000000-0000-0000-0000-0000000000a2');
    await expect(run(d.id)).rejects.toThrow(/may not confirm/);
    expect(risky.executed).toEqual([]);
  });

  it('runs what was confirmed, once, even when asked twice at the same moment', async () => {
    const c = await issue({ n: 5 });
    await confirmations.confirm(c.id, admin.id, '00000000-0000-0000-0000-0000000000a3');
    const outcomes = await Promise.allSettled([run(c.id, { n: 5 }), run(c.id, { n: 5 }), run(c.id, { n: 5 })]);
    expect(risky.executed).toEqual([5]);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    // A later retry of the same execution returns the first outcome and acts no second time.
    expect(await run(c.id, { n: 5 })).toEqual({ summary: 'did 5' });
    expect(risky.executed).toEqual([5]);
    expect((await confirmations.findById(c.id))?.status).toBe('consumed');
  });

  it('refuses parameters other than the confirmed ones, and another conversation', async () => {
    const c = await issue({ n: 1 });
    await confirmations.confirm(c.id, admin.id, '00000000-0000-0000-0000-0000000000a4');
    await expect(run(c.id, { n: 2 })).rejects.toThrow(/parameters differ/);
    await expect(run(c.id, { n: 1 }, otherConversationId)).rejects.toThrow(/another conversation/);
    expect(risky.executed).toEqual([]);
    expect((await confirmations.findById(c.id))?.status).toBe('confirmed');
  });

  it('refuses a confirmation for another action', async () => {
    const c = await issue();
    await confirmations.confirm(c.id, admin.id, '00000000-0000-0000-0000-0000000000a5');
    await expect(
      executor.execute({ action: 'test.safe', params: { n: 1 }, actor: requester, conversationId, timezone: 'UTC', idempotencyKey: 'k', confirmationId: c.id }),
    ).resolves.toEqual({ summary: 'did 1' }); // a safe action needs no confirmation at all
    const mismatched = await confirmations.create({ conversationId, requesterId: requester.id, action: 'test.other', params: { n: 1 }, paramsHash: hashParams('test.risky', { n: 1 }), risk: 'risky', phrase: 'X', ttlMs: 1000 });
    await expect(run(mismatched.id)).rejects.toThrow(/another action/);
  });

  it('records a failing action as failed, and a retry does not run it again', async () => {
    const c = await issue({ n: -1 });
    await confirmations.confirm(c.id, admin.id, '00000000-0000-0000-0000-0000000000a6');
    await expect(run(c.id, { n: -1 })).rejects.toBeInstanceOf(ToolFailedError);
    await expect(run(c.id, { n: -1 })).rejects.toThrow('negative numbers explode');
    expect(risky.executed).toEqual([-1]);
    expect((await audit.tail(10)).map((r) => r.action)).toEqual(['action.executing', 'action.failed']);
  });

  it('validates parameters before anything else', async () => {
    await expect(executor.execute({ action: 'test.safe', params: { n: 'x' }, actor: requester, conversationId, timezone: 'UTC', idempotencyKey: 'k2' })).rejects.toThrow(/Invalid parameters/);
    await expect(executor.execute({ action: 'nope', params: {}, actor: requester, conversationId, timezone: 'UTC', idempotencyKey: 'k3' })).rejects.toThrow(/no tool action called nope/);
  });
});

describe('RolePolicy', () => {
  const policy = new RolePolicy();
  it('takes who may start an intent from the catalog', () => {
    expect(policy.mayStart('developer', 'deploy.create')).toBe(true);
    expect(policy.mayStart('client', 'deploy.create')).toBe(false);
    expect(policy.mayStart('unknown', 'task.create')).toBe(false);
    expect(policy.mayStart('unknown', 'help')).toBe(true);
  });
  it('lets the requester or an admin confirm a risky task deletion, but only admins a production deploy', () => {
    const dev = { id: 'd', role: 'developer' as const };
    expect(policy.mayConfirm({ action: 'task.delete', risk: 'risky', confirmer: dev, requesterId: 'd' })).toBe(true);
    expect(policy.mayConfirm({ action: 'task.delete', risk: 'risky', confirmer: dev, requesterId: 'someone-else' })).toBe(false);
    expect(policy.mayConfirm({ action: 'deploy.create', risk: 'risky', confirmer: dev, requesterId: 'd' })).toBe(false);
    expect(policy.mayConfirm({ action: 'deploy.create', risk: 'risky', confirmer: { id: 'a', role: 'admin' }, requesterId: 'd' })).toBe(true);
    expect(policy.mayConfirm({ action: 'people.approve', risk: 'critical', confirmer: { id: 'a', role: 'admin' }, requesterId: 'a' })).toBe(false);
  });
  it('takes overrides from a policy file', () => {
    const strict = new RolePolicy({ start: { 'task.create': ['owner'] }, confirm: { 'task.delete': { requesterMayConfirm: false, confirmers: ['owner'] } } });
    expect(strict.mayStart('developer', 'task.create')).toBe(false);
    expect(strict.mayConfirm({ action: 'task.delete', risk: 'risky', confirmer: { id: 'x', role: 'admin' }, requesterId: 'y' })).toBe(false);
  });
});
