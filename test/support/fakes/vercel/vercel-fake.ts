import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the Vercel REST API endpoints the `vercel` deploy provider uses, as a real HTTP server on
 * 127.0.0.1 (vercel.com/docs/rest-api). Errors use Vercel's body `{"error":{"code","message"}}`.
 * - auth: `Authorization: Bearer <token>`; missing → 403 `missingToken`, wrong → 403 `invalidToken`
 *   (as Vercel answers), `failNext(401, …)` for a plain 401;
 * - `POST /v13/deployments`: `name` required; `project` must exist; a `gitSource` (`type: github`, `org`
 *   and `repo`, `ref`, `sha`) that matches the project's linked repository; `target` absent (preview),
 *   `production` or `staging` → 200 with the deployment (`id` dpl_…, `url`, `readyState: QUEUED`);
 *   then QUEUED → BUILDING → READY or ERROR after the scripted times; a READY production deployment of a
 *   project with auto-assign becomes its `targets.production`;
 * - `GET /v13/deployments/{id}`; `PATCH /v12/deployments/{id}/cancel` (400 once it has finished);
 * - `GET /v9/projects/{idOrName}` (`targets.production`); `GET /v6/deployments` (`projectId`, `target`,
 *   `state`, `limit`; items have `uid` and `created`);
 * - `POST /v10/projects/{p}/promote/{d}` and `POST /v1/projects/{p}/rollback/{d}` → 201, 409 when the
 *   deployment is not READY, 404 for a deployment of another project.
 */

export const FAKE_VERCEL_TOKEN = 'vercel_fake_token_for_tests_000000';

export interface VercelScript {
  outcome: 'READY' | 'ERROR';
  queuedMs?: number;
  buildingMs?: number;
  errorMessage?: string;
}

export interface FakeDeployment {
  id: string;
  name: string;
  projectId: string;
  url: string;
  target: 'production' | 'staging' | null;
  createdAt: number;
  readyState: 'QUEUED' | 'BUILDING' | 'READY' | 'ERROR' | 'CANCELED';
  errorMessage?: string;
  inspectorUrl: string;
  meta: Record<string, string>;
  script: VercelScript;
}

interface FakeProject {
  id: string;
  name: string;
  repo: string;
  autoAssign: boolean;
  production?: string;
}

export interface RecordedVercelRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export class VercelFake {
  readonly requests: RecordedVercelRequest[] = [];
  readonly deployments = new Map<string, FakeDeployment>();
  private readonly projects = new Map<string, FakeProject>();
  private readonly scripts: VercelScript[] = [];
  private readonly failures: Array<{ status: number; body: unknown; headers: Record<string, string> }> = [];
  private server?: LoopbackServer;

  constructor(readonly token = FAKE_VERCEL_TOKEN) {}

  get url(): string {
    if (!this.server) throw new Error('VercelFake not started');
    return `http://127.0.0.1:${this.server.port}`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  addProject(name: string, options: { repo: string; autoAssign?: boolean }): this {
    const project = { id: `prj_${randomBytes(8).toString('hex')}`, name, repo: options.repo.toLowerCase(), autoAssign: options.autoAssign ?? true };
    this.projects.set(name, project);
    return this;
  }

  productionOf(name: string): string | undefined {
    return this.projects.get(name)?.production;
  }

  nextDeployment(script: VercelScript): this {
    this.scripts.push(script);
    return this;
  }

  /** The next request (after auth) is answered with this status and body. */
  failNext(status: number, body: unknown, headers: Record<string, string> = {}): this {
    this.failures.push({ status, body, headers });
    return this;
  }

  private project(idOrName: string): FakeProject | undefined {
    return this.projects.get(idOrName) ?? [...this.projects.values()].find((p) => p.id === idOrName);
  }

  /** Moves every deployment along its script; READY production deployments take the domains. */
  private tick(): void {
    const now = Date.now();
    for (const d of this.deployments.values()) {
      if (d.readyState === 'READY' || d.readyState === 'ERROR' || d.readyState === 'CANCELED') continue;
      const age = now - d.createdAt;
      const queued = d.script.queuedMs ?? 50;
      const building = d.script.buildingMs ?? 100;
      if (age < queued) d.readyState = 'QUEUED';
      else if (age < queued + building) d.readyState = 'BUILDING';
      else {
        d.readyState = d.script.outcome;
        if (d.script.outcome === 'ERROR') d.errorMessage = d.script.errorMessage ?? 'Command "npm run build" exited with 1';
        const project = this.projects.get(d.name);
        if (d.readyState === 'READY' && d.target === 'production' && project?.autoAssign) project.production = d.id;
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.error(res, 400, 'bad_request', 'Invalid JSON');
    }
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const auth = req.headers.authorization;
    if (!auth) return this.send(res, 403, { error: { code: 'forbidden', message: 'The request is missing an authentication token', missingToken: true } });
    if (auth !== `Bearer ${this.token}`) return this.send(res, 403, { error: { code: 'forbidden', message: 'Not authorized', invalidToken: true } });
    const failure = this.failures.shift();
    if (failure) return this.send(res, failure.status, failure.body, failure.headers);
    this.tick();

    const method = req.method ?? 'GET';
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v13/deployments') return this.create(res, body as Record<string, unknown> | undefined);
    if (method === 'GET' && (m = /^\/v13\/deployments\/([^/]+)$/.exec(path))) {
      const d = this.deployments.get(decodeURIComponent(m[1]!));
      return d ? this.send(res, 200, this.view(d)) : this.error(res, 404, 'not_found', 'Deployment not found');
    }
    if (method === 'PATCH' && (m = /^\/v12\/deployments\/([^/]+)\/cancel$/.exec(path))) {
      const d = this.deployments.get(decodeURIComponent(m[1]!));
      if (!d) return this.error(res, 404, 'not_found', 'Deployment not found');
      if (d.readyState !== 'QUEUED' && d.readyState !== 'BUILDING') return this.error(res, 400, 'bad_request', 'Cannot cancel a deployment that is not building');
      d.readyState = 'CANCELED';
      return this.send(res, 200, this.view(d));
    }
    if (method === 'GET' && (m = /^\/v9\/projects\/([^/]+)$/.exec(path))) {
      const p = this.project(decodeURIComponent(m[1]!));
      if (!p) return this.error(res, 404, 'not_found', 'Project not found');
      const production = p.production ? this.deployments.get(p.production) : undefined;
      return this.send(res, 200, { id: p.id, name: p.name, link: { type: 'github', repo: p.repo }, targets: production ? { production: this.view(production) } : {} });
    }
    if (method === 'GET' && path === '/v6/deployments') {
      const p = this.project(url.searchParams.get('projectId') ?? '');
      const target = url.searchParams.get('target');
      const state = url.searchParams.get('state');
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const list = [...this.deployments.values()]
        .filter((d) => (!p || d.projectId === p.id) && (!target || d.target === target) && (!state || state.split(',').includes(d.readyState)))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map((d) => ({ uid: d.id, name: d.name, url: d.url, created: d.createdAt, state: d.readyState, target: d.target, meta: d.meta, inspectorUrl: d.inspectorUrl }));
      return this.send(res, 200, { deployments: list, pagination: { count: list.length, next: null, prev: null } });
    }
    if (method === 'POST' && (m = /^\/v(10|1)\/projects\/([^/]+)\/(promote|rollback)\/([^/]+)$/.exec(path))) {
      if ((m[1] === '10') !== (m[3] === 'promote')) return this.error(res, 404, 'not_found', 'The requested path was not found');
      const p = this.project(decodeURIComponent(m[2]!));
      const d = this.deployments.get(decodeURIComponent(m[4]!));
      if (!p) return this.error(res, 404, 'not_found', 'Project not found');
      if (!d || d.projectId !== p.id) return this.error(res, 404, 'not_found', 'Deployment not found');
      if (d.readyState !== 'READY') return this.error(res, 409, 'conflict', 'The deployment is not ready');
      if (m[3] === 'rollback' && d.target !== 'production') return this.error(res, 422, 'invalid_deployment', 'Only production deployments can be rolled back to');
      p.production = d.id;
      return this.send(res, 201, {});
    }
    return this.error(res, 404, 'not_found', 'The requested path was not found');
  }

  private create(res: ServerResponse, body: Record<string, unknown> | undefined): void {
    if (!body || typeof body.name !== 'string' || body.name.length === 0) return this.error(res, 400, 'bad_request', 'Invalid request: missing required property `name`.');
    const projectName = typeof body.project === 'string' ? body.project : body.name;
    const project = this.project(projectName);
    if (!project) return this.error(res, 404, 'not_found', 'Project not found');
    const target = body.target;
    if (target !== undefined && target !== 'production' && target !== 'staging') {
      return this.error(res, 400, 'bad_request', 'Invalid request: `target` should be equal to one of the allowed values "staging, production".');
    }
    const git = body.gitSource as { type?: string; org?: string; repo?: string; ref?: string; sha?: string } | undefined;
    if (!git && !body.files) return this.error(res, 400, 'missing_files', 'Missing files');
    if (!git || git.type !== 'github' || !git.org || !git.repo || !git.ref) {
      return this.error(res, 400, 'bad_request', 'Invalid request: `gitSource` should have required properties `type`, `org`, `repo` and `ref`.');
    }
    if (`${git.org}/${git.repo}`.toLowerCase() !== project.repo) {
      return this.error(res, 400, 'incorrect_git_source_info', `The provided GitHub repository does not match the one linked to the project.`);
    }
    const id = `dpl_${randomBytes(12).toString('base64url')}`;
    const d: FakeDeployment = {
      id,
      name: project.name,
      projectId: project.id,
      url: `${project.name}-${randomBytes(4).toString('hex')}.vercel.app`,
      target: (target as FakeDeployment['target']) ?? null,
      createdAt: Date.now(),
      readyState: 'QUEUED',
      inspectorUrl: `https://vercel.com/team/${project.name}/${id}`,
      meta: { ...((body.meta as Record<string, string>) ?? {}), githubCommitSha: git.sha ?? '', githubCommitRef: git.ref },
      script: this.scripts.shift() ?? { outcome: 'READY' },
    };
    this.deployments.set(id, d);
    this.send(res, 200, this.view(d));
  }

  private view(d: FakeDeployment): Omit<FakeDeployment, 'script' | 'projectId'> & { projectId: string } {
    const { script: _s, ...shown } = d;
    return shown;
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    this.send(res, status, { error: { code, message } });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }
}
