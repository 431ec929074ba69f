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
 * PostgreSQL taken away twice during a 36 s stream of Telegram webhooks at 20 a second, on a server
 * of the test's own: first stopped cleanly ("fast" shutdown: every session is told 57P01 and cut),
 * then killed (SIGKILL: sockets simply close, as when a container dies), each time started again
 * 6 s later. DESIGN.md, "Promises under faults": webhooks get 503 while it is away, the service
 * recovers by itself, never a 500, never an exit, and acknowledged means answered exactly once.
 */
const LABEL = 'postgres-restart';
const STOP_AT = 8_000;
const KILL_AT = 21_000;
const AWAY_MS = 6_000;
const DURABLE = /durable|postgres|database|sql/i;

// Private servers from the same PostgreSQL and Redis packages as the shared ones (test/support/private-servers.ts).
describeNeeding('postgres', 'redis')('PostgreSQL stopped, killed and restarted during a steady stream of webhooks', () => {
  const cleanups = new Cleanups();
  let run: FaultScenario;
  const outages = (): [number, number][] => [
    [run.marks.stopped!, run.marks.restarted!],
    [run.marks.killed!, run.marks.restartedAfterKill!],
  ];

  beforeAll(async () => {
    run = await runFaultScenario(cleanups, async (s) => {
      await s.at(STOP_AT);
      s.mark('stopped');
      await s.postgres.stop();
      await s.at(STOP_AT + AWAY_MS);
      await s.postgres.start();
      s.mark('restarted');
      await s.at(KILL_AT);
      s.mark('killed');
      await s.postgres.kill();
      await s.at(KILL_AT + AWAY_MS);
      await s.postgres.start();
      s.mark('restartedAfterKill');
    });
    console.log(`[postgres restart]\n${describeRun(run, LABEL)}`);
  }, 180_000);
  afterAll(() => cleanups.run(), 60_000);

  it('answers every acknowledged message exactly once, with the answer for its sender', () => {
    expectSteadyStream(run);
    expectAnsweredExactlyOnce(run);
  });

  it('answers 503 while PostgreSQL is away and never a 500; every request gets an answer', () => {
    expect.soft(serverErrors(run), 'webhook answers in the 5xx range other than 503').toEqual({});
    expect.soft(sample(noAnswers(run)), 'webhook requests with no answer (refused, reset, or none within 10 s)').toEqual({ count: 0, first: [] });
    for (const [down, up] of outages()) {
      const during = outcomesBetween(run.load.records, down, up);
      expect.soft(during['503'] ?? 0, `webhook answers while PostgreSQL was away (${down}-${up} ms): ${JSON.stringify(during)}`).toBeGreaterThan(0);
    }
  });

  it('never exits', () => {
    expect(run.services).toHaveLength(1);
    expect(run.services[0]!.exit, 'the service exited during the run').toBeUndefined();
  });

  it('reports PostgreSQL down on /ready during each outage, and ready again after', () => {
    expectReadyReportsOutages(run, DURABLE, outages());
  });
});
