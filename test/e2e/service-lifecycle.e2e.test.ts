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
    // The first start trains the classifier and keeps the model in the data folder; the next one loads it.
    expect(first.log()).toMatch(/understanding: offline classifier \(trained in \d+ ms; saved to [^)]*cache\/intent-classifier\.bin\)/);
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(true);

    const visitor = new WebchatVisitor(first.url);
    expect(await visitor.say('hello')).toEqual([expect.stringMatching(/^Hello! I'm Switchboard/)]);
    expect(await visitor.say('deploy the blog to staging')).toEqual([expect.stringMatching(/^Which app\? \(/)]);

    expect(await first.stop()).toBe(0);
    expect(first.log()).toMatch(/"msg":"stopped"/);
    expect(existsSync(path.join(dataDir, 'switchboard.lock'))).toBe(false);

    const second = await start({ DATA_DIR: dataDir });
    expect(second.log()).toMatch(/understanding: offline classifier \(loaded from [^)]*cache\/intent-classifier\.bin in \d+ ms\)/);
    const history = await visitor.moveTo(second.url).history();
    expect(history).toEqual([
      'in: hello',
      expect.stringMatching(/^out: Hello! I'm Switchboard/),
      'in: deploy the blog to staging',
      expect.stringMatching(/^out: Which app\? \(/),
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

describe('a pending confirmation across a restart of the service', () => {
  async function converse(url: string, user: string, text: string): Promise<string> {
    const response = await fetch(`${url}/api/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text, conversation: 'ops-room' }),
    });
    const body = (await response.json()) as { replies: { text: string }[] };
    return body.replies.map((r) => r.text).join('\n');
  }

  it('is still there after a restart, and the typed phrase then works once', async () => {
    const dataDir = tempDataDir();
    const first = await start({ DATA_DIR: dataDir });
    expect(await converse(first.url, 'bob', 'remind me to renew the SSL certificate on friday')).toMatch(/^Task #1 created/);
    expect(await converse(first.url, 'ana', 'delete task 1')).toMatch(/To go ahead, type exactly:\nCONFIRM DELETE TASK 1/);
    expect(await first.stop()).toBe(0);

    const second = await start({ DATA_DIR: dataDir });
    expect(await converse(second.url, 'ana', 'CONFIRM DELETE TASK 1')).toBe('Deleted task #1 "renew the SSL certificate".');
    expect(await converse(second.url, 'ana', 'CONFIRM DELETE TASK 1')).not.toMatch(/^Deleted/);
    await second.stop();

    const verify = await runCli(['audit', 'verify'], { DATA_DIR: dataDir });
    expect(verify.code).toBe(0);
    const tail = await runCli(['audit', 'tail', '50'], { DATA_DIR: dataDir });
    expect(tail.stdout).toMatch(/confirmation\.issued[\s\S]*confirmation\.confirmed[\s\S]*action\.executing[\s\S]*action\.succeeded/);
  });
});

describe('switchboard pairing approve', () => {
  it('gives a stranger a role; granting admin needs the typed phrase', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, WEBCHAT_DEFAULT_ROLE: 'unknown' };
    const service = await start(env);
    const ask = async (user: string, text: string) => {
      const response = await fetch(`${service.url}/api/converse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, text }),
      });
      return ((await response.json()) as { replies: { text: string }[] }).replies[0]!.text;
    };
    const code = /pairing code ([A-Z2-9]{8})/.exec(await ask('newbie', 'remind me to read the handbook'))![1]!;
    const other = /pairing code ([A-Z2-9]{8})/.exec(await ask('lead', 'show my tasks'))![1]!;

    expect(await runCli(['pairing', 'approve', code, 'developer'], env)).toMatchObject({ code: 0, stdout: 'webchat:newbie is now developer\n' });
    expect(await ask('newbie', 'remind me to read the handbook')).toMatch(/^Task #1 created/);

    const refused = await runCli(['pairing', 'approve', other, 'admin'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Granting admin is a risky action. To go ahead, add: --confirm "CONFIRM GRANT ADMIN ${other}"`);
    expect((await runCli(['pairing', 'approve', other, 'admin', '--confirm', `CONFIRM GRANT ADMIN ${other}X`], env)).code).toBe(1);
    expect(await runCli(['pairing', 'approve', other, 'admin', '--confirm', `confirm grant admin ${other}`], env)).toMatchObject({
      code: 0,
      stdout: 'webchat:lead is now admin\n',
    });
  });
});
