import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnService, tempDataDir, WebchatVisitor, type SpawnedService } from '../support/spawn-service.js';

const running: SpawnedService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(env: Record<string, string>): Promise<SpawnedService> {
  const service = await spawnService(env);
  running.push(service);
  return service;
}

describe('switchboard serve on the embedded default', () => {
  it('says which stores it uses, chats, stops cleanly, and keeps the history across a restart', async () => {
    const dataDir = tempDataDir();
    const first = await start({ DATA_DIR: dataDir });
    expect(first.log()).toMatch(/stores ready: embedded PostgreSQL \(PGlite\) in .*; in-process hot tier/);
    expect(first.log()).toMatch(/understanding: offline classifier \(trained in \d+ ms\)/);
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(true);

    const visitor = new WebchatVisitor(first.url);
    expect(await visitor.say('hello')).toEqual([expect.stringMatching(/^Hello! I'm Switchboard/)]);
    expect(await visitor.say('deploy the shop to staging')).toEqual([expect.stringMatching(/^I understood: deploy\.create \(env: staging\).*isn't connected yet/)]);

    expect(await first.stop()).toBe(0);
    expect(first.log()).toMatch(/"msg":"stopped"/);
    expect(existsSync(path.join(dataDir, 'switchboard.lock'))).toBe(false);

    const second = await start({ DATA_DIR: dataDir });
    const history = await visitor.moveTo(second.url).history();
    expect(history).toEqual([
      'in: hello',
      expect.stringMatching(/^out: Hello! I'm Switchboard/),
      'in: deploy the shop to staging',
      expect.stringMatching(/^out: I understood: deploy\.create/),
    ]);
  });

  it('refuses to open a data folder another service holds, and leaves the first one working', async () => {
    const dataDir = tempDataDir();
    const first = await start({ DATA_DIR: dataDir });
    const refused = await runCli(['serve'], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`in use by another Switchboard process \\(pid ${first.process.pid}\\).*DATABASE_URL`));
    expect(await new WebchatVisitor(first.url).say('hi')).toHaveLength(1);
  });

  it('stops at start-up with every bad setting listed', async () => {
    const result = await runCli(['serve'], { PORT: 'eighty', DEFAULT_TIMEZONE: 'Nowhere/Land', DATA_DIR: tempDataDir() });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/2 settings need fixing/);
    expect(result.stderr).toMatch(/PORT: .*Fix: a port number/);
    expect(result.stderr).toMatch(/DEFAULT_TIMEZONE: is not an IANA time zone/);
  });
});

describe('store commands of the CLI', () => {
  it('go through the running service, and open the folder themselves when none runs', async () => {
    const dataDir = tempDataDir();
    const service = await start({ DATA_DIR: dataDir });

    const grant = await runCli(['users', 'grant', 'webchat:alice', 'admin'], { DATA_DIR: dataDir });
    expect(grant).toMatchObject({ code: 0, stdout: 'webchat:alice is now admin\n' });
    expect(grant.stderr).toBe('');
    const bad = await runCli(['users', 'grant', 'webchat:bob', 'emperor'], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/role must be one of owner, admin, developer, sales, client, unknown/);

    await service.stop();
    const list = await runCli(['users', 'list', '--json'], { DATA_DIR: dataDir });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ role: 'admin', identities: ['webchat:alice'] })]);
    const audit = await runCli(['audit', 'verify'], { DATA_DIR: dataDir });
    expect(audit).toMatchObject({ code: 0, stdout: 'audit chain holds: 1 records\n' });
    expect(existsSync(path.join(dataDir, 'switchboard.lock'))).toBe(false);
  });

  it('explain a wrong call with its usage', async () => {
    const result = await runCli(['users', 'grant', 'alice'], { DATA_DIR: tempDataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: switchboard users grant <channel>:<userId> <role>/);
  });
});

describe('switchboard chat', () => {
  it('talks to the running service from a terminal', async () => {
    const dataDir = tempDataDir();
    const service = await start({ DATA_DIR: dataDir });
    const result = await runCli(['chat'], { DATA_DIR: dataDir }, 'hello\nwhat can you do\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Connected to Switchboard/);
    expect(result.stdout).toMatch(/Hello, .*I'm Switchboard/);
    expect(result.stdout).toMatch(/Here is what you can ask me \(as developer\):/);
    expect(service.process.exitCode).toBeNull();
  });

  it('runs the bot in its own process when no service runs', async () => {
    const result = await runCli(['chat'], { DATA_DIR: tempDataDir() }, 'hi there\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Hello, .*I'm Switchboard/);
  });
});
