import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBuildProvider, type ProviderRunContext } from '../../../tools/build/index.js';
import {
  DeployCancelledError,
  HealthCheckFailedError,
  LocalDeployProvider,
  ReleaseNotFoundError,
  RollbackRefusedError,
  type DeployRequest,
} from '../../../tools/deploy/index.js';
import { makeSiteRepo } from '../build/git-fixture.js';

function context(signal = new AbortController().signal) {
  const steps: string[] = [];
  const ctx: ProviderRunContext = { signal, step: async (s) => void steps.push(s), log: () => undefined };
  return { ctx, steps };
}

/** Serves `<root>/current/<path>` read at request time, through the symlink, like nginx's `root .../current`. */
async function serveCurrent(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const file = path.join(root, 'current', (req.url ?? '/').split('?')[0]!.replace(/^\/$/, '/index.html'));
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': 'text/html' }).end(body),
      () => res.writeHead(503).end('not healthy'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function artifact(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('local deploy provider (real folders, real symlinks, real HTTP)', () => {
  let root: string;
  let site: string;
  let server: Server | undefined;
  let url: string;
  const provider = new LocalDeployProvider();
  let n = 0;
  const request = (artifactPath: string, commit: string, over: Partial<DeployRequest> = {}): DeployRequest => ({
    deployId: `d${++n}`,
    app: 'soarix-web',
    env: 'staging',
    artifactPath,
    commit,
    target: { path: site, keep: 5, url },
    healthCheck: { url: `${url}/health`, timeoutMs: 1500 },
    ...over,
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sb-deploy-'));
    site = path.join(root, 'site');
    const served = await serveCurrent(site);
    server = served.server;
    url = served.url;
  });
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await rm(root, { recursive: true, force: true });
  });

  it('builds a real repository, deploys it, serves it through current, and reports what is live', async () => {
    const repo = makeSiteRepo(path.join(root, 'repo'), '<h1>soarix v1</h1>\n');
    const builder = new LocalBuildProvider({ workDir: path.join(root, 'work'), artifactsDir: path.join(root, 'artifacts') });
    const build = await builder.build(
      {
        buildId: 'b1',
        app: 'soarix-web',
        repository: repo.dir,
        ref: 'main',
        commands: ['mkdir -p dist && cp index.html dist/ && echo ok > dist/health'],
        outputDir: 'dist',
        env: {},
        timeoutMs: 20_000,
        maxOutputBytes: 100_000,
      },
      context().ctx,
    );
    const { ctx, steps } = context();
    const result = await provider.deploy(request(build.artifactPath!, build.commit), ctx);
    expect(steps).toEqual(['prepare release', 'switch', 'health check']);
    expect(result.releaseId).toMatch(new RegExp(`^\\d{8}T\\d{9}Z-${build.commit.slice(0, 12)}$`));
    expect(result.url).toBe(url);
    expect(result.previous).toBeUndefined();
    expect(await readlink(path.join(site, 'current'))).toBe(path.join('releases', result.releaseId));
    expect(await (await fetch(`${url}/`)).text()).toBe('<h1>soarix v1</h1>\n');
    const live = await provider.current({ app: 'soarix-web', env: 'staging', target: { path: site } });
    expect(live?.releaseId).toBe(result.releaseId);
    expect(live?.commit).toBe(build.commit);
    expect(Date.now() - live!.since.getTime()).toBeLessThan(10_000);
  });

  it('a release that fails its health check is switched back automatically and marked bad', async () => {
    const good = await provider.deploy(request(artifact(path.join(root, 'a1'), { 'index.html': 'one', health: 'ok' }), 'aaaaaaa1'), context().ctx);
    const error = await provider
      .deploy(request(artifact(path.join(root, 'a2'), { 'index.html': 'two (broken)' }), 'bbbbbbb2'), context().ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HealthCheckFailedError);
    const failed = error as HealthCheckFailedError;
    expect(failed.rolledBack).toBe(true);
    expect(failed.restored).toBe(good.releaseId);
    expect(failed.reason).toContain('answered 503');
    expect(failed.message).toContain(`${good.releaseId} is live again`);
    expect(await (await fetch(`${url}/`)).text()).toBe('one');
    expect((await provider.current({ app: 'x', env: 'staging', target: { path: site } }))?.commit).toBe('aaaaaaa1');

    // The bad release is skipped by rollbacks and refused by name.
    await expect(
      provider.rollback({ app: 'soarix-web', env: 'staging', target: { path: site }, toRelease: failed.releaseId }, context().ctx),
    ).rejects.toBeInstanceOf(RollbackRefusedError);
  });

  it('a failing command check on the first deploy leaves nothing live (as before)', async () => {
    const error = await provider
      .deploy(request(artifact(path.join(root, 'a1'), { 'index.html': 'x' }), 'c1c1c1c1', { healthCheck: { command: 'test -f health', timeoutMs: 2000 } }), context().ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HealthCheckFailedError);
    expect((error as HealthCheckFailedError).restored).toBeUndefined();
    expect(existsSync(path.join(site, 'current'))).toBe(false);
    expect(await provider.current({ app: 'x', env: 'staging', target: { path: site } })).toBeUndefined();
  });

  it('rolls back to the previous good release (skipping bad ones), or to a named one', async () => {
    const r1 = await provider.deploy(request(artifact(path.join(root, 'a1'), { 'index.html': 'one', health: 'ok' }), '1111111aaaa'), context().ctx);
    const r2 = await provider.deploy(request(artifact(path.join(root, 'a2'), { 'index.html': 'two', health: 'ok' }), '2222222bbbb'), context().ctx);
    await provider.deploy(request(artifact(path.join(root, 'a3'), { 'index.html': 'three broken' }), '3333333cccc'), context().ctx).catch(() => undefined);
    const r4 = await provider.deploy(request(artifact(path.join(root, 'a4'), { 'index.html': 'four', health: 'ok' }), '4444444dddd'), context().ctx);
    expect(r4.previous).toBe(r2.releaseId);

    const ref = { app: 'soarix-web', env: 'staging' as const, target: { path: site, url } };
    const back = await provider.rollback(ref, context().ctx);
    expect(back.releaseId).toBe(r2.releaseId); // r3 failed its check and is skipped
    expect(back.previous).toBe(r4.releaseId);
    expect(await (await fetch(`${url}/`)).text()).toBe('two');

    const again = await provider.rollback(ref, context().ctx);
    expect(again.releaseId).toBe(r1.releaseId);
    expect(await (await fetch(`${url}/`)).text()).toBe('one');
    await expect(provider.rollback(ref, context().ctx)).rejects.toBeInstanceOf(RollbackRefusedError);

    // By name (a release id or a commit sha), forward again.
    expect((await provider.rollback({ ...ref, toRelease: '4444444' }, context().ctx)).releaseId).toBe(r4.releaseId);
    expect(await (await fetch(`${url}/`)).text()).toBe('four');
    expect((await provider.current(ref))?.releaseId).toBe(r4.releaseId);
    await expect(provider.rollback({ ...ref, toRelease: 'nope-release' }, context().ctx)).rejects.toBeInstanceOf(ReleaseNotFoundError);
  });

  it('keeps the last N releases on disk', async () => {
    for (let i = 1; i <= 4; i++) {
      await provider.deploy(
        request(artifact(path.join(root, `a${i}`), { 'index.html': `v${i}`, health: 'ok' }), `${i}`.repeat(8), { target: { path: site, keep: 2 } }),
        context().ctx,
      );
    }
    const kept = readdirSync(path.join(site, 'releases')).sort();
    expect(kept).toHaveLength(2);
    expect(kept.map((k) => k.slice(-8))).toEqual(['33333333', '44444444']);
    expect(readdirSync(path.join(site, '.releases')).sort()).toEqual(kept.map((k) => `${k}.json`));
  });

  it('a reader polling current during deploys and rollbacks never sees it missing or half switched', async () => {
    const versions = ['<p>alpha</p>'.repeat(200), '<p>beta</p>'.repeat(300), '<p>gamma</p>'.repeat(100)];
    await provider.deploy(request(artifact(path.join(root, 'a0'), { 'index.html': versions[0]!, health: 'ok' }), 'a0a0a0a0'), context().ctx);
    const stopFile = path.join(root, 'stop');
    // A separate process, so its reads race the deploy for real instead of taking turns on our event loop.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `
        const fs = require('node:fs');
        const [current, stop] = process.argv.slice(1);
        const seen = {}; let reads = 0; const problems = [];
        process.stdout.write('READY\\n');
        while (!fs.existsSync(stop)) {
          for (let i = 0; i < 50; i++) {
            reads++;
            try {
              fs.readlinkSync(current);
              const body = fs.readFileSync(current + '/index.html', 'utf8');
              seen[body.length] = (seen[body.length] || 0) + 1;
            } catch (e) { problems.push(e.code || String(e)); }
          }
        }
        process.stdout.write(JSON.stringify({ reads, seen, problems: problems.slice(0, 20), problemCount: problems.length }));
        `,
        path.join(site, 'current'),
        stopFile,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const died = new Promise<never>((_, reject) => reader.on('exit', (code) => reject(new Error(`the reader exited early (${code})`))));
    died.catch(() => undefined); // it also "dies" when told to stop, after the race is decided
    let out = '';
    const ready = new Promise<void>((resolve) =>
      reader.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.startsWith('READY\n')) resolve();
      }),
    );
    const exited = new Promise((r) => reader.on('close', r));
    await Promise.race([ready, died]); // a busy machine can take a second to start node
    const ref = { app: 'soarix-web', env: 'staging' as const, target: { path: site, keep: 3 } };
    for (let i = 0; i < 36; i++) {
      const body = versions[(i % 2) + 1]!;
      await provider.deploy(
        request(artifact(path.join(root, `p${i}`), { 'index.html': body, health: 'ok' }), `c${i}`.padEnd(8, '0'), { target: ref.target }),
        context().ctx,
      );
      if (i % 3 === 2) await provider.rollback(ref, context().ctx);
      // Long enough for the reader to see each live version, however the scheduler treats it.
      await new Promise((r) => setTimeout(r, 15));
    }
    writeFileSync(stopFile, '');
    await exited;
    const report = JSON.parse(out.slice('READY\n'.length)) as { reads: number; seen: Record<string, number>; problems: string[]; problemCount: number };
    expect(report.problems).toEqual([]);
    expect(report.problemCount).toBe(0);
    // Every read was one whole version, and the reader did see the switches happen.
    expect(Object.keys(report.seen).map(Number).sort()).toEqual(versions.map((v) => v.length).sort((a, b) => a - b));
    expect(report.reads).toBeGreaterThan(1000);
  });
});

describe('local deploy provider: a crash in the middle of a deploy', () => {
  it('the process killed during the health check leaves the old or new release whole, and recover() puts the last good one back', async () => {
    const { spawn: spawnChild } = await import('node:child_process');
    const root = await mkdtemp(path.join(tmpdir(), 'sb-crash-'));
    try {
      const site = path.join(root, 'site');
      const provider = new LocalDeployProvider();
      const good = await provider.deploy(
        { deployId: 'd1', app: 'a', env: 'production', artifactPath: artifact(path.join(root, 'a1'), { 'index.html': 'good' }), commit: '1111111', target: { path: site } },
        context().ctx,
      );
      const request: DeployRequest = {
        deployId: 'd2',
        app: 'a',
        env: 'production',
        artifactPath: artifact(path.join(root, 'a2'), { 'index.html': 'unverified' }),
        commit: '2222222',
        target: { path: site },
        healthCheck: { command: 'sleep 3', timeoutMs: 60_000 }, // short: the killed deploy leaves it orphaned
      };
      const child = spawnChild(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'deploy-in-child.ts'), JSON.stringify(request)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('STEP health check')) resolve();
        });
        child.on('exit', () => reject(new Error(`child exited early: ${out}`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));

      // Killed after the switch: the new release is live but unverified, and whole.
      const ref = { app: 'a', env: 'production' as const, target: { path: site } };
      const unverified = (await provider.current(ref))!;
      expect(unverified.commit).toBe('2222222');
      expect(await readFile(path.join(site, 'current', 'index.html'), 'utf8')).toBe('unverified');

      const recovered = await provider.recover(ref);
      expect(recovered).toEqual({ discarded: unverified.releaseId, restored: good.releaseId });
      expect((await provider.current(ref))?.releaseId).toBe(good.releaseId);
      expect(await readFile(path.join(site, 'current', 'index.html'), 'utf8')).toBe('good');
      expect(readdirSync(site).filter((n) => n.startsWith('.current-'))).toEqual([]);
      // Nothing more to do the second time, and the discarded release is not a rollback target.
      expect(await provider.recover(ref)).toBeUndefined();
      await expect(provider.rollback(ref, context().ctx)).rejects.toBeInstanceOf(RollbackRefusedError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('local deploy provider: the job is cancelled as the health check starts', () => {
  it('a step() that throws after the switch puts the previous release back', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'sb-cancel-step-'));
    try {
      const site = path.join(root, 'site');
      const provider = new LocalDeployProvider();
      const good = await provider.deploy(
        { deployId: 'd1', app: 'a', env: 'staging', artifactPath: artifact(path.join(root, 'a1'), { 'index.html': 'good' }), commit: '1111111', target: { path: site } },
        context().ctx,
      );
      const throwingCtx: ProviderRunContext = {
        signal: new AbortController().signal,
        step: async (name) => {
          if (name === 'health check') throw new Error('the job was cancelled');
        },
        log: () => undefined,
      };
      const error = await provider
        .deploy(
          {
            deployId: 'd2',
            app: 'a',
            env: 'staging',
            artifactPath: artifact(path.join(root, 'a2'), { 'index.html': 'new' }),
            commit: '2222222',
            target: { path: site },
            healthCheck: { command: 'true' },
          },
          throwingCtx,
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeployCancelledError);
      expect((await provider.current({ app: 'a', env: 'staging', target: { path: site } }))?.releaseId).toBe(good.releaseId);
      expect(await readFile(path.join(site, 'current', 'index.html'), 'utf8')).toBe('good');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
