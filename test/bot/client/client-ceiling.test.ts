import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientRequestIn } from '../../../bot/client/index.js';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { INTENT_IDS } from '../../../intents/index.js';
import { AuditLog, ConfirmationRepo, ConversationRepo, PeopleRepo, ToolRunRepo } from '../../../store/index.js';
import { ActionNotAllowedError, CLIENT_INTENTS, RolePolicy, ToolExecutor, ToolRegistry, type ToolAction } from '../../../tools/index.js';
import { embeddedTestDatabase, type TestDatabase } from '../../support/services.js';

/**
 * The client ceiling is code, not configuration: a policy file that hands clients (or strangers) staff
 * intents, commands or confirmations changes nothing for them, and the executor refuses a client any
 * action but the client ones before it looks at anything else.
 */

/** A policy file doing its worst: every intent, command and confirmation open to clients and strangers. */
const GENEROUS = new RolePolicy({
  start: Object.fromEntries(INTENT_IDS.map((id) => [id, ['client', 'unknown', 'admin']])),
  confirm: { 'deploy.create': { requesterMayConfirm: true, confirmers: ['client', 'unknown'] }, risky: { requesterMayConfirm: true, confirmers: ['client'] } },
  commands: { 'people.approve': ['client', 'unknown'], 'handoff.handback': ['client'] },
});

describe('the role policy caps clients and strangers', () => {
  it('lets a client start only the client intents, whatever the file says', () => {
    const allowed = INTENT_IDS.filter((id) => GENEROUS.mayStart('client', id));
    expect(allowed.sort()).toEqual([...CLIENT_INTENTS].sort());
    expect(INTENT_IDS.filter((id) => GENEROUS.mayStart('unknown', id)).sort()).toEqual(['cancel', 'greeting', 'help', 'out_of_scope']);
    // Staff keep what the file gives them.
    expect(GENEROUS.mayStart('admin', 'deploy.create')).toBe(true);
  });

  it('never lets a client or a stranger run a command or confirm anything', () => {
    for (const role of ['client', 'unknown'] as const) {
      expect(GENEROUS.mayRunCommand(role, 'people.approve')).toBe(false);
      expect(GENEROUS.mayRunCommand(role, 'handoff.handback')).toBe(false);
      const me = { id: 'p1', role };
      expect(GENEROUS.mayConfirm({ action: 'deploy.create', risk: 'risky', confirmer: me, requesterId: 'p1' })).toBe(false);
      expect(GENEROUS.mayConfirm({ action: 'task.delete', risk: 'risky', confirmer: me, requesterId: 'p1' })).toBe(false);
    }
    expect(new RolePolicy().mayRunCommand('sales', 'handoff.handback')).toBe(true);
  });

  it('lets a client execute the client actions only, and a stranger nothing', () => {
    expect(GENEROUS.mayExecute('client', 'client.lead.capture')).toBe(true);
    for (const action of ['deploy.create', 'task.create', 'crm.contact.find', 'people.approve', 'notify.subscribe']) expect(GENEROUS.mayExecute('client', action)).toBe(false);
    expect(GENEROUS.mayExecute('unknown', 'client.lead.capture')).toBe(false);
    expect(GENEROUS.mayExecute('developer', 'task.create')).toBe(true);
  });
});

describe('the executor as the choke point', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await embeddedTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a client a staff action before validating or running it, and audits the refusal', async () => {
    const clock = new ManualClock();
    const people = new PeopleRepo(t.db, clock);
    const audit = new AuditLog(t.db, clock);
    const ran: unknown[] = [];
    const staffAction: ToolAction<{ n: number }> = {
      name: 'task.create',
      input: z.object({ n: z.number() }),
      prepare: async () => ({ ok: true, params: { n: 1 } }),
      risk: () => 'safe',
      plan: () => 'create',
      phrase: () => ({ verb: 'create', target: 'task', qualifier: '1' }),
      execute: async (p) => {
        ran.push(p);
        return { summary: 'created' };
      },
    };
    const executor = new ToolExecutor({
      db: t.db,
      actions: new ToolRegistry([staffAction] as never[]),
      confirmations: new ConfirmationRepo(t.db, clock),
      runs: new ToolRunRepo(t.db, clock),
      people,
      audit,
      policy: GENEROUS,
      clock,
      logger: silentLogger(),
    });
    const client = await people.grant('whatsapp', '447700900999', 'client');
    const conversationId = (await new ConversationRepo(t.db, clock).ensure('whatsapp', '447700900999')).id;
    await expect(
      executor.execute({ action: 'task.create', params: { n: 1 }, actor: client, conversationId, timezone: 'UTC', idempotencyKey: 'message:x:task.create' }),
    ).rejects.toBeInstanceOf(ActionNotAllowedError);
    expect(ran).toEqual([]);
    expect((await t.db.query('SELECT 1 FROM tool_runs')).rowCount).toBe(0);
    expect((await audit.tail(10)).map((r) => [r.action, r.data])).toEqual([
      ['execution.refused', { action: 'task.create', role: 'client', reason: 'the role may not run this action' }],
    ]);
  });
});

describe('what a client asks beyond the catalog', () => {
  it.each([
    ['Can I talk to a person please?', 'person'],
    ['I want to speak to a real human', 'person'],
    ['human please', 'person'],
    ['connect me with someone from your team', 'person'],
    ['Can we book a call for next week?', 'call'],
    ['could you call me tomorrow?', 'call'],
    ['how is my project going?', 'status'],
    ["what's the status of our website?", 'status'],
    ['when will my site be ready', 'status'],
    ['please delete my data', 'erase'],
    ['forget me', 'erase'],
    ['How much does a website cost?', undefined],
    ["Hi, I'm Lisa Wong from Pixelforge, we need a new website", undefined],
    ['deploy initech-portal to production', undefined],
  ])('%s → %s', (text, request) => {
    expect(clientRequestIn(text)).toBe(request);
  });
});
