import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ENVIRONMENTS, type AppCatalog, type Environment } from '../apps/index.js';

/** Where the service serves what is live on an app's `local` target, e.g. `/sites/demo-site/staging/`. */
export function localSitePath(app: string, env: string): string {
  return `/sites/${encodeURIComponent(app)}/${encodeURIComponent(env)}/`;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * `GET /sites/:app/:env/*`: the files of the release live on an app's `local` deploy target (its
 * `current` folder), read-only, so a newcomer sees the demo site served by the running service
 * (`switchboard demo init`, then deploy). Only apps in the catalog, only `local` targets; nothing
 * outside `current` is ever served: the requested path and then its real path (symlinks followed)
 * must both stay inside the real path of `current`, and names starting with a dot are refused.
 *
 * Hand-written rather than @fastify/static: that plugin is not installed, and the need is one GET
 * route over one folder per request (its root would change on every deploy) with a dozen content types.
 */
export function registerLocalSites<T extends FastifyInstance>(app: T, catalog: Pick<AppCatalog, 'get'>): T {
  app.get<{ Params: { app: string; env: string } }>('/sites/:app/:env', (request, reply) =>
    reply.redirect(localSitePath(request.params.app, request.params.env), 301),
  );
  app.get<{ Params: { app: string; env: string; '*': string } }>('/sites/:app/:env/*', async (request, reply) => {
    const { app: name, env, '*': rest } = request.params;
    const target = (ENVIRONMENTS as readonly string[]).includes(env) ? catalog.get(name)?.environments[env as Environment] : undefined;
    if (!target || target.provider !== 'local') {
      return notFound(reply, `There is no site here: ${name} has no local deploy target for ${env} in the app catalog.`);
    }
    let root: string;
    try {
      root = await realpath(path.join(target.path, 'current'));
    } catch {
      return notFound(reply, `Nothing is live for ${name} on ${env} yet: deploy it first (e.g. "deploy ${name} to ${env}").`);
    }
    const relative = rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest;
    const segments = relative.split(/[/\\]/u);
    // Dot names (`.git`, `.env`, `..`) are never part of a site worth serving; `..` is also checked below.
    if (relative.includes('\0') || segments.some((s) => s.startsWith('.'))) return refused(reply);
    const requested = path.resolve(root, relative);
    if (!inside(root, requested)) return refused(reply);
    let file: string;
    try {
      file = await realpath(requested);
      if (!inside(root, file)) return refused(reply);
      if ((await stat(file)).isDirectory()) {
        // A folder is its index page (the link "/about" for "/about/index.html").
        file = await realpath(path.join(file, 'index.html'));
        if (!inside(root, file)) return refused(reply);
      }
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      return notFound(reply, `There is no file ${relative} in the release of ${name} live on ${env}.`);
    }
    return reply
      .header('content-type', CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      // A deploy or rollback changes what is here at any moment.
      .header('cache-control', 'no-cache')
      .send(createReadStream(file));
  });
  return app;
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function notFound(reply: FastifyReply, sentence: string) {
  return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send(`${sentence}\n`);
}

function refused(reply: FastifyReply) {
  return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('That path is not part of the site: only the files of the live release are served.\n');
}
