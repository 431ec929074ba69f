import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppCatalog } from '../../../tools/apps/index.js';
import type { ProviderRunContext } from '../../../tools/build/index.js';
import { LocalDeployProvider, localSitePath, registerLocalSites } from '../../../tools/deploy/index.js';

/**
 * `GET /sites/:app/:env/*` serves the release live on a `local` deploy target, over real HTTP, and
 * nothing outside its `current` folder: `..`, its encoded forms and a symlink pointing out are refused.
 */
const ctx: ProviderRunContext = { signal: new AbortController().signal, step: async () => undefined, log: () => undefined };

/** A GET with the path sent exactly as written (fetch and URL would resolve `..` before sending). */
function get(base: string, rawPath: string): Promise<{ status: number; type: string | undefined; body: string; location: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local sites served by the service', () => {
  let dir: string;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-sites-'));
    const staging = path.join(dir, 'sites', 'staging');
    // A secret next to the deploy target, and one in the folder above: neither may ever be served.
    writeFileSync(path.join(dir, 'secret.txt'), 'top secret');
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, 'secret.txt'), 'target secret');
    const catalogFile = path.join(dir, 'apps.json');
    writeFileSync(
      catalogFile,
      JSON.stringify({
        apps: [
          { name: 'demo-site', environments: { staging: { provider: 'local', path: staging }, production: { provider: 'local', path: path.join(dir, 'sites', 'production') } } },
          { name: 'acme-shop', environments: { staging: { provider: 'sandbox' } } },
        ],
      }),
    );
    // A real release, deployed by the local provider (current → releases/<id>).
    const artifact = path.join(dir, 'artifact');
    mkdirSync(path.join(artifact, 'assets'), { recursive: true });
    mkdirSync(path.join(artifact, 'about'), { recursive: true });
    writeFileSync(path.join(artifact, 'index.html'), '<h1>Hello from the demo</h1>');
    writeFileSync(path.join(artifact, 'about', 'index.html'), '<p>about</p>');
    writeFileSync(path.join(artifact, 'assets', 'site.css'), 'h1 { color: red }');
    writeFileSync(path.join(artifact, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(artifact, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(artifact, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(path.join(artifact, 'data.json'), '{"ok":true}');
    writeFileSync(path.join(artifact, 'version.txt'), 'a1b2c3d\n');
    writeFileSync(path.join(artifact, '.env'), 'TOKEN=never');
    // Symlinks in the artifact pointing outside the release: to a file, and to a folder.
    symlinkSync(path.join(dir, 'secret.txt'), path.join(artifact, 'leak.txt'));
    symlinkSync(dir, path.join(artifact, 'up'));
    await new LocalDeployProvider().deploy({ deployId: 'd1', app: 'demo-site', env: 'staging', artifactPath: artifact, commit: 'a1b2c3d4e5f6', target: { path: staging, keep: 5 } }, ctx);

    app = registerLocalSites(Fastify(), loadAppCatalog({ appsFile: { path: catalogFile, fromSetting: true }, apps: [], appsFromSetting: false }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the live release with the right content types', async () => {
    expect(localSitePath('demo-site', 'staging')).toBe('/sites/demo-site/staging/');
    const page = await get(base, '/sites/demo-site/staging/');
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>Hello from the demo</h1>' });
    expect(await get(base, '/sites/demo-site/staging')).toMatchObject({ status: 301, location: '/sites/demo-site/staging/' });
    expect(await get(base, '/sites/demo-site/staging/about/')).toMatchObject({ status: 200, body: '<p>about</p>' });
    expect(await get(base, '/sites/demo-site/staging/about')).toMatchObject({ status: 200, body: '<p>about</p>' });
    const types: [string, string][] = [
      ['assets/site.css', 'text/css; charset=utf-8'],
      ['assets/app.js', 'text/javascript; charset=utf-8'],
      ['assets/logo.svg', 'image/svg+xml'],
      ['assets/logo.png', 'image/png'],
      ['data.json', 'application/json; charset=utf-8'],
      ['version.txt', 'text/plain; charset=utf-8'],
    ];
    for (const [file, type] of types) expect(await get(base, `/sites/demo-site/staging/${file}`)).toMatchObject({ status: 200, type });
    expect((await get(base, '/sites/demo-site/staging/version.txt')).body).toBe('a1b2c3d\n');
  });

  it('refuses every way out of current: .., encoded .., a symlink pointing outside, dot files', async () => {
    const attempts = [
      '/sites/demo-site/staging/../secret.txt',
      '/sites/demo-site/staging/../../secret.txt',
      '/sites/demo-site/staging/%2e%2e/secret.txt',
      '/sites/demo-site/staging/%2e%2e/%2e%2e/secret.txt',
      '/sites/demo-site/staging/%2E%2E%2Fsecret.txt',
      '/sites/demo-site/staging/..%2f..%2fsecret.txt',
      '/sites/demo-site/staging/assets/..%5c..%5csecret.txt',
      '/sites/demo-site/staging/leak.txt',
      '/sites/demo-site/staging/up/secret.txt',
      '/sites/demo-site/staging/up/',
      '/sites/demo-site/staging/.env',
      '/sites/demo-site/staging/%00index.html',
    ];
    for (const attempt of attempts) {
      const res = await get(base, attempt);
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.body, attempt).not.toMatch(/secret|TOKEN/);
    }
    expect(await get(base, '/sites/demo-site/staging/leak.txt')).toMatchObject({
      status: 404,
      body: 'That path is not part of the site: only the files of the live release are served.\n',
    });
  });

  it('answers 404 with a sentence for what is not a served site', async () => {
    expect(await get(base, '/sites/demo-site/staging/missing.html')).toMatchObject({
      status: 404,
      type: 'text/plain; charset=utf-8',
      body: 'There is no file missing.html in the release of demo-site live on staging.\n',
    });
    expect(await get(base, '/sites/demo-site/production/')).toMatchObject({
      status: 404,
      body: 'Nothing is live for demo-site on production yet: deploy it first (e.g. "deploy demo-site to production").\n',
    });
    expect((await get(base, '/sites/acme-shop/staging/')).body).toBe('There is no site here: acme-shop has no local deploy target for staging in the app catalog.\n');
    expect((await get(base, '/sites/nobody/staging/')).status).toBe(404);
    expect((await get(base, '/sites/demo-site/qa/')).status).toBe(404);
  });
});
