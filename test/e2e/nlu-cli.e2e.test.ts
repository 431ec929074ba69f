import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/spawn-service.js';

describe('switchboard classify', () => {
  it('reads JSON lines and writes one JSON line per input, with slots for the given apps', async () => {
    const input = [
      JSON.stringify({ text: 'ship marketing site to prod' }),
      JSON.stringify({ text: 'is soarix.ai still available' }),
      '',
      JSON.stringify({ text: 'what is the capital of France' }),
    ].join('\n');
    const result = await runCli(['classify', '--apps', 'soarix-web,marketing-site'], {}, `${input}\n`);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ text: 'ship marketing site to prod', intent: 'deploy.create', slots: { app: 'marketing-site', env: 'production' } });
    expect(lines[1]).toMatchObject({ intent: 'domain.check', slots: { domain: 'soarix.ai' } });
    expect(lines[2]).toMatchObject({ intent: 'out_of_scope' });
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['confidence', 'intent', 'slots', 'text']);
  });

  it('answers a line that is not {"text"} with an error line and exit code 1, and goes on', async () => {
    const result = await runCli(['classify'], {}, `not json\n{"txt":"x"}\n${JSON.stringify({ text: 'hello' })}\n`);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ line: 1, error: 'expected a JSON object with a "text" string' });
    expect(lines[1]).toEqual({ line: 2, error: 'expected a JSON object with a "text" string' });
    expect(lines[2]).toMatchObject({ text: 'hello', intent: 'greeting' });
  });
});

describe('switchboard eval-clinc', () => {
  it('trains, tunes and evaluates on a file in CLINC150 format and prints the figures as JSON', async () => {
    const intents: Record<string, string[]> = {
      weather: ['what is the weather', 'is it going to rain', 'weather forecast please', 'will it be sunny today', 'how hot is it outside', 'do i need an umbrella', 'temperature right now', 'is it cold out', 'weather tomorrow', 'forecast for the weekend'],
      alarm: ['set an alarm for 7', 'wake me up at six', 'alarm at 8am please', 'set my alarm', 'create an alarm for noon', 'i need an alarm at 5', 'alarm for tomorrow morning', 'remind me with an alarm at 9', 'set a wake up alarm', 'turn on an alarm for 10'],
      balance: ['what is my balance', 'how much money do i have', 'check my account balance', 'balance on checking', 'show my savings balance', 'how much is in my account', 'tell me my balance', 'account balance please', 'money left in my account', 'current balance'],
    };
    const pairs = (rows: number[]) => Object.entries(intents).flatMap(([label, texts]) => rows.map((i) => [texts[i]!, label]));
    const data = {
      train: pairs([0, 1, 2, 3, 4, 5]),
      val: pairs([6, 7]),
      test: pairs([8, 9]),
      oos_train: [['tell me a joke', 'oos'], ['who won the game', 'oos']],
      oos_val: [['sing a song', 'oos']],
      oos_test: [['what is love', 'oos'], ['translate hello', 'oos']],
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-clinc-'));
    const file = path.join(dir, 'data_full.json');
    writeFileSync(file, JSON.stringify(data));
    const result = await runCli(['eval-clinc', file], {});
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout);
    expect(Object.keys(figures)).toEqual(expect.arrayContaining(['inScopeAccuracy', 'oosRecall', 'trainSeconds', 'msPerUtterance']));
    for (const key of ['inScopeAccuracy', 'oosRecall']) {
      expect(figures[key]).toBeGreaterThanOrEqual(0);
      expect(figures[key]).toBeLessThanOrEqual(1);
    }
    expect(figures.inScopeAccuracy).toBeGreaterThan(0.5);
    expect(result.stderr).toMatch(/training on .*data_full\.json/);
  });

  it('says clearly when the file is missing or not CLINC150', async () => {
    const missing = await runCli(['eval-clinc', '/nonexistent/data.json'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/switchboard eval-clinc: .*(ENOENT|no such file|not found)/i);
  });
});
