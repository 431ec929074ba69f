import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding } from '../support/needs.js';
import type { MessageRecord } from '../support/webhook-load.js';
import {
  Cleanups,
  describeRun,
  expectAnsweredExactlyOnce,
  expectSteadyStream,
  greetingFor,
  isReady,
  noAnswers,
  runFaultScenario,
  sample,
  serverErrors,
  type FaultScenario,
} from './fault-harness.js';

/**
 * The service killed with SIGKILL 12 s into a 36 s stream of Telegram webhooks at 20 a second (no
 * drain, its claims and turn locks left behind in Redis, turns cut mid-way), and a new process
 * started at once on the same port and the same PostgreSQL and Redis, as a supervisor would. What
 * the dead process acknowledged must still be answered exactly once, by the new one; what it did
 * not acknowledge the platform delivers again (the load driver redelivers like Telegram does).
 */
const LABEL = 'service-sigkill';
const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms));
const KILL_AT = 12_000;

// Private servers from the same PostgreSQL and Redis packages as the shared ones (test/support/private-servers.ts).
describeNeeding('postgres', 'redis')('the service killed with SIGKILL during a steady stream of webhooks, and a new process on the same stores', () => {
  const cleanups = new Cleanups();
  let run: FaultScenario;
  let lastAcknowledged: MessageRecord | undefined;
  const gap = (): [number, number] => [run.marks.killed!, run.marks.replaced!];

  beforeAll(async () => {
    run = await runFaultScenario(cleanups, async (s) => {
      await s.at(KILL_AT);
      // Killed the moment a message is acknowledged: its turn is surely still running, so the dead
      // process leaves at least one acknowledged message unanswered, with its claim and lock behind.
      // (If nothing is acknowledged within 10 s, the kill happens anyway and the checks say why.)
      const acknowledged = await Promise.race([s.load.nextAcknowledgement(), sleep(10_000)]);
      s.mark('killed');
      const killing = s.services[0]!.kill();
      lastAcknowledged = acknowledged || undefined;
      await killing;
      await s.startService();
      s.mark('replaced');
    });
    console.log(`[service SIGKILL]\n${describeRun(run, LABEL)}`);
  }, 180_000);
  afterAll(() => cleanups.run(), 60_000);

  it('answers every acknowledged message exactly once, also those the killed process acknowledged', () => {
    expectSteadyStream(run);
    expectAnsweredExactlyOnce(run);
    expect(lastAcknowledged, 'a message was acknowledged right before the kill').toBeDefined();
    const replies = run.fake.sentTo(Number(lastAcknowledged!.key)).map((m) => m.text);
    expect.soft(replies, `replies to chat ${lastAcknowledged!.key}, acknowledged just before the kill`).toEqual([expect.stringMatching(greetingFor(lastAcknowledged!.index))]);
  });

  it('the new process took over the same stores, and nothing but the killed one exited', () => {
    const [killed, replacement] = run.services;
    expect(run.services).toHaveLength(2);
    expect(killed!.exit).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(replacement!.exit, 'the new process exited during the run').toBeUndefined();
    const stores = (log: string) => /"msg":"stores ready: ([^"]+)"/.exec(log)?.[1];
    expect(stores(replacement!.log())).toBeDefined();
    expect(stores(replacement!.log())).toBe(stores(killed!.log()));
  });

  it('never answers 500; requests go unanswered only while no process listens', () => {
    const [killedAt, replacedAt] = gap();
    expect.soft(serverErrors(run), 'webhook answers in the 5xx range other than 503').toEqual({});
    expect.soft(sample(noAnswers(run, -Infinity, killedAt - 1)), 'webhook requests with no answer, over before the kill').toEqual({ count: 0, first: [] });
    expect.soft(sample(noAnswers(run, replacedAt + 1)), 'webhook requests with no answer, sent once the new process listened').toEqual({ count: 0, first: [] });
    // The kill landed mid-stream: while no process listened, deliveries were refused (and redelivered).
    expect.soft(noAnswers(run, killedAt, replacedAt).length, 'webhook requests refused while no process listened').toBeGreaterThan(0);
  });

  it('/ready: ready before the kill, unreachable while no process listens, ready again from the new process', () => {
    const [killedAt, replacedAt] = gap();
    const { ready } = run;
    const history = `\n${ready.summary().join('\n')}`;
    const before = ready.samples.filter((s) => s.doneAt < killedAt);
    expect.soft(before.length > 0 && before.every(isReady), `ready before the kill:${history}`).toBe(true);
    expect.soft(ready.between(killedAt, replacedAt).some((s) => s.outcome === 'refused'), `refused while no process listened:${history}`).toBe(true);
    const after = ready.between(replacedAt + 1, Infinity);
    expect.soft(after.length > 0 && after.every(isReady), `ready (and answering every poll) once the new process listened:${history}`).toBe(true);
  });
});
