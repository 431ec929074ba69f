import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_WRONG_ATTEMPTS } from '../../../flows/index.js';
import { AgentHarness } from '../../support/agent-harness.js';
import { StubUnderstander } from '../../support/stub-understander.js';

const understander = new StubUnderstander([
  [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
  [/^delete task (\d+)/i, 'task.delete', { title: '$1' }],
]);

describe('wrong attempts at a confirmation phrase', () => {
  let h: AgentHarness;
  beforeAll(async () => {
    h = await AgentHarness.open(understander, { WEBCHAT_DEFAULT_ROLE: 'unknown' });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    await h.grant('ana', 'developer', 'Ana');
    await h.grant('bob', 'developer', 'Bob');
  });

  it('are counted once each: the limit locks out on exactly its last attempt, and record and audit agree', async () => {
    await h.say('bob', 'remind me to send Acme the proposal');
    await h.say('ana', 'delete task 1');
    const replies: string[] = [];
    for (let attempt = 1; attempt <= MAX_WRONG_ATTEMPTS; attempt++) replies.push(await h.say('ana', `CONFIRM DELETE TASK ${attempt + 1}`));

    for (let attempt = 1; attempt < MAX_WRONG_ATTEMPTS; attempt++) {
      const left = MAX_WRONG_ATTEMPTS - attempt;
      expect(replies[attempt - 1]).toBe(`That doesn't match. Type exactly: CONFIRM DELETE TASK 1 (${left} attempt${left === 1 ? '' : 's'} left, or say "cancel").`);
    }
    expect(replies.at(-1)).toMatch(/^That phrase doesn't match either\. After three wrong attempts I cancelled it/);

    const { rows } = await h.stores.db.query<{ wrong_attempts: number; status: string; closed_reason: string }>(
      'SELECT wrong_attempts, status, closed_reason FROM confirmations',
    );
    expect(rows).toEqual([{ wrong_attempts: MAX_WRONG_ATTEMPTS, status: 'cancelled', closed_reason: 'three wrong attempts' }]);
    const audit = await h.bot.audit.tail(100);
    const wrong = audit.filter((r) => r.action === 'confirmation.wrong').map((r) => r.data.attempt);
    expect(wrong).toEqual(Array.from({ length: MAX_WRONG_ATTEMPTS }, (_, i) => i + 1));
    expect(audit.filter((r) => r.action === 'confirmation.cancelled')).toHaveLength(1);

    // Locked out: the right phrase now is just a message, and the task stays.
    expect(await h.say('ana', 'CONFIRM DELETE TASK 1')).not.toMatch(/Deleted/);
    expect((await h.bot.tasks.findByNumber(1))?.status).toBe('open');
  });
});

describe('/approve goes through the role policy', () => {
  let h: AgentHarness;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-policy-'));
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ commands: { 'people.approve': ['owner', 'admin', 'developer'] } }));
    h = await AgentHarness.open(understander, { WEBCHAT_DEFAULT_ROLE: 'unknown', ROLE_POLICY_FILE: file });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    await h.grant('ana', 'developer', 'Ana');
    await h.grant('sam', 'sales', 'Sam');
  });

  it('lets the roles the policy names run it, and refuses the others', async () => {
    const code = /pairing code ([A-Z2-9]{8})/.exec(await h.say('newbie', 'remind me to start'))![1]!;
    expect(await h.say('sam', `/approve ${code} developer`)).toMatch(/^Sorry, you don't have access/);
    expect(await h.say('ana', `/approve ${code} developer`)).toBe('webchat:newbie is now developer.');
  });
});
