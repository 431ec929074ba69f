import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding } from '../support/needs.js';
import {
  Cleanups,
  describeRun,
  expectAnsweredExactlyOnce,
  expectReadyReportsOutages,
  expectSteadyStream,
  noAnswers,
  outcomesBetween,
  runFaultScenario,
  sample,
  serverErrors,
  type FaultScenario,
} from './fault-harness.js';

/**
 * Redis killed (SIGKILL: its clients get no goodbye, and its claims, locks and counters are gone
 * when it returns, as with no persistence) 10 s into a 36 s stream of Telegram webhooks at 20 a
 * second, on a server of the test's own, and started again 8 s later. DESIGN.md, "Promises under
 * faults": webhooks get 503 while it is away, the service recovers by itself, never a 500, never an
 * exit, and acknowledged means answered exactly once.
 */
const LABEL = 'redis-restart';
const KILL_AT = 10_000;
const AWAY_MS = 8_000;
const HOT = /hot|redis|cache/i;

// Private servers from the same PostgreSQL and Redis packages as the shared ones (test/support/private-servers.ts).
describeNeeding('postgres', 'redis')('Redis killed and restarted during a steady stream of webhooks', () => {
  const cleanups = new Cleanups();
  let run: FaultScenario;
  const outage = (): [number, number] => [run.marks.killed!, run.marks.restarted!];

  beforeAll(async () => {
    run = await runFaultScenario(cleanups, async (s) => {
      await s.at(KILL_AT);
      s.mark('killed');
      await s.redis.kill();
      await s.at(KILL_AT + AWAY_MS);
      await s.redis.start();
      s.mark('restarted');
    });
    console.log(`[redis restart]\n${describeRun(run, LABEL)}`);
  }, 180_000);
  afterAll(() => cleanups.run(), 60_000);

  it('answers every acknowledged message exactly once, with the answer for its sender', () => {
    expectSteadyStream(run);
    expectAnsweredExactlyOnce(run);
  });

  it('answers 503 while Redis is away and never a 500; every request gets an answer', () => {
    expect.soft(serverErrors(run), 'webhook answers in the 5xx range other than 503').toEqual({});
    expect.soft(sample(noAnswers(run)), 'webhook requests with no answer (refused, reset, or none within 10 s)').toEqual({ count: 0, first: [] });
    const during = outcomesBetween(run.load.records, ...outage());
    expect.soft(during['503'] ?? 0, `webhook answers while Redis was away: ${JSON.stringify(during)}`).toBeGreaterThan(0);
  });

  it('never exits', () => {
    expect(run.services).toHaveLength(1);
    expect(run.services[0]!.exit, 'the service exited during the run').toBeUndefined();
  });

  it('reports Redis down on /ready during the outage, and ready again after', () => {
    expectReadyReportsOutages(run, HOT, [outage()]);
  });
});
