import { expect, it } from 'vitest';
import { runTurnParts } from '../../bench/turns/index.js';

/**
 * bench:turn-parts' smoke run on the embedded default: it prints what it promises, every part of a
 * task-creating turn was seen to run, and the parts add up inside the whole. No timing is asserted.
 */
it('bench:turn-parts says where a turn goes: each part measured, inside the whole, beside LangGraph bare', async () => {
  const result = JSON.parse(JSON.stringify(await runTurnParts({ turns: 30, warmUp: 10, text: 'remind me to call acme tomorrow at 10', stores: 'embedded' })));
  expect(result).toMatchObject({ bench: 'bench:turn-parts', machine: { node: process.version } });
  expect(result.replySample).toMatch(/^Task #\d+ created: call acme/);
  for (const part of ['agent.handle', 'understand', 'dialog', 'act', 'act.executor', 'checkpoint.read', 'checkpoint.write']) {
    expect(result.parts[part], part).toBeGreaterThan(0);
  }
  expect(result.parts['act.executor']).toBeLessThanOrEqual(result.parts.act);
  expect(result.parts['agent.handle']).toBeLessThan(result.cpuMsPerTurn);
  expect(result.aroundAgentMsPerTurn).toBeGreaterThan(0);
  expect(result.bareLangGraphMsPerInvoke).toBeGreaterThan(0);
}, 120_000);
