import { z } from 'zod';
import {
  abortableDelay,
  parseGitHubRepository,
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProviderRunContext,
} from '../build/index.js';
import {
  DeployCancelledError,
  DeployFailedError,
  DeployTargetInvalidError,
  HealthCheckFailedError,
  RollbackRefusedError,
} from './deploy-errors.js';
import type { DeployProvider, DeployRequest, DeployResult, DeployTargetRef, LiveRelease, RollbackRequest } from './deploy-provider.js';
import { runHealthCheck } from './health-check.js';

const VERCEL = 'Vercel';

/** The `target` of a `vercel` deploy in the app catalog. */
export const VercelDeployTargetSchema = z
  .object({
    /** The Vercel project name or id. */
    project: z.string().min(1),
    /** The team the project belongs to (`teamId` on every call), when it is not a personal project. */
    teamId: z.string().min(1).optional(),
    /** The app catalog's name for `teamId` (tools/apps). */
    team: z.string().min(1).optional(),
    /** The Git repository Vercel builds from, as owner/repo or a GitHub URL. */
    repository: z.string().min(1),
    /** The branch the commit is on (Vercel wants a ref beside the sha). */
    ref: z.string().min(1).default('main'),
    /**
     * When the project does not assign production domains by itself ("auto-assign" off in Vercel), a
     * ready production deployment is promoted through the project endpoint.
     */
    promote: z.boolean().default(false),
  })
  .transform(({ team, teamId, ...rest }) => ({ ...rest, teamId: teamId ?? team }));
export type VercelDeployTarget = z.output<typeof VercelDeployTargetSchema>;

export interface VercelDeployProviderOptions {
  /** VERCEL_TOKEN. */
  token: string;
  /** VERCEL_API_URL; https://api.vercel.com when absent. */
  baseUrl?: string;
  pollIntervalMs?: number;
  /** How long a deployment may take to become READY. */
  timeoutMs?: number;
}

interface VercelDeployment {
  id: string;
  url?: string;
  readyState?: 'QUEUED' | 'BUILDING' | 'INITIALIZING' | 'READY' | 'ERROR' | 'CANCELED';
  errorMessage?: string;
  inspectorUrl?: string;
  createdAt?: number;
  target?: string | null;
  meta?: Record<string, string>;
}

/**
 * Deploys a commit on Vercel: `POST /v13/deployments` from the Git source, then `GET /v13/deployments/{id}`
 * until `readyState` is READY, ERROR or CANCELED. Production can be promoted and rolled back through the
 * project endpoints (`/v10/projects/{id}/promote/{deploymentId}`, `/v1/projects/{id}/rollback/{deploymentId}`).
 *
 * Plain `fetch` rather than @vercel/sdk: the SDK is 41.9 MB unpacked in 5,133 files (1.28.35, measured with
 * `npm pack --dry-run`) for the six endpoints used here.
 */
export class VercelDeployProvider implements DeployProvider {
  readonly name = 'vercel' as const;
  private readonly baseUrl: string;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: VercelDeployProviderOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.vercel.com').replace(/\/+$/, '');
    this.pollMs = options.pollIntervalMs ?? 3000;
    this.timeoutMs = options.timeoutMs ?? 30 * 60_000;
  }

  async deploy(req: DeployRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const target = parseTarget(req);
    const repo = parseGitHubRepository(target.repository);
    if (!repo) throw new DeployTargetInvalidError(req.app, req.env, `repository ${target.repository} is not a GitHub repository`);
    const previous = req.env === 'production' ? await this.liveProduction(target, ctx.signal).catch(() => undefined) : undefined;

    let step = 'create deployment';
    if (ctx.signal.aborted) throw new DeployCancelledError(step);
    await ctx.step(step);
    const created = await this.request<VercelDeployment>('POST', '/v13/deployments', target, {
      body: {
        name: target.project,
        project: target.project,
        // Vercel's targets are production and staging (custom environments); a preview has none.
        ...(req.env === 'preview' ? {} : { target: req.env }),
        gitSource: { type: 'github', org: repo.owner, repo: repo.repo, ref: target.ref, sha: req.commit },
        meta: { switchboardDeployId: req.deployId },
      },
      signal: ctx.signal,
      what: `the project ${target.project}`,
    });
    const id = created.id;
    ctx.log(`deployment ${id} created${created.inspectorUrl ? `: ${created.inspectorUrl}` : ''}`);

    let deployment = created;
    let lastState = '';
    const deadline = Date.now() + this.timeoutMs;
    try {
      for (;;) {
        const state = deployment.readyState ?? 'QUEUED';
        if (state !== lastState) {
          lastState = state;
          ctx.log(`deployment ${id} is ${state}`);
          if (state === 'READY' || state === 'ERROR' || state === 'CANCELED') break;
          step = state === 'BUILDING' ? 'building on Vercel' : 'queued on Vercel';
          await ctx.step(step);
        }
        if (Date.now() > deadline) throw new DeployFailedError(step, `not ready within ${Math.round(this.timeoutMs / 60_000)} min`, deployment.inspectorUrl);
        await abortableDelay(this.pollMs, ctx.signal, () => new DeployCancelledError(step, previous?.id));
        try {
          deployment = await this.request<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(id)}`, target, { signal: ctx.signal });
        } catch (error) {
          // A rate limit or a hiccup while Vercel builds is waited out, not a reason to abandon the deployment.
          if (error instanceof ProviderRateLimitedError) {
            await abortableDelay(Math.min(error.retryAfterMs, Math.max(0, deadline - Date.now())), ctx.signal, () => new DeployCancelledError(step, previous?.id));
          } else if (!(error instanceof ProviderUnavailableError)) {
            throw error;
          }
        }
      }
    } catch (error) {
      // Whatever stops us following it (cancel, time limit, a refused token) stops the deployment too.
      await this.cancel(id, target.teamId).catch(() => undefined);
      throw error;
    }
    if (deployment.readyState === 'CANCELED') throw new DeployCancelledError(step, previous?.id);
    if (deployment.readyState === 'ERROR') throw new DeployFailedError(step, deployment.errorMessage ?? 'the build failed', deployment.inspectorUrl);

    if (req.env === 'production' && target.promote) {
      step = 'promote';
      await ctx.step(step);
      await this.request('POST', `/v10/projects/${encodeURIComponent(target.project)}/promote/${encodeURIComponent(id)}`, target, { signal: ctx.signal });
    }
    const url = deployment.url ? `https://${deployment.url}` : undefined;
    if (req.healthCheck) {
      step = 'health check';
      await ctx.step(step);
      const outcome = await runHealthCheck({ ...req.healthCheck, url: req.healthCheck.url ?? url }, { signal: ctx.signal, cwd: process.cwd() });
      if (!outcome.ok) {
        // Production is switched back to what was live; other environments have nothing to go back to.
        if (req.env === 'production' && previous) {
          await this.request('POST', `/v1/projects/${encodeURIComponent(target.project)}/rollback/${encodeURIComponent(previous.id)}`, target, {
            query: { description: `health check failed: ${outcome.reason}` },
          });
          throw new HealthCheckFailedError(id, outcome.reason, previous.id);
        }
        throw new DeployFailedError(step, outcome.reason, deployment.inspectorUrl);
      }
    }
    return { releaseId: id, url, previous: previous?.id };
  }

  async rollback(req: RollbackRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const target = parseTarget(req);
    if (req.env !== 'production') throw new RollbackRefusedError(`Vercel rolls back production only, not ${req.env}`);
    let step = 'choose release';
    if (ctx.signal.aborted) throw new DeployCancelledError(step);
    await ctx.step(step);
    const live = await this.liveProduction(target, ctx.signal);
    let to = req.toRelease;
    if (!to) {
      const list = await this.request<{ deployments: Array<{ uid: string; created: number; meta?: Record<string, string> }> }>(
        'GET',
        '/v6/deployments',
        target,
        { query: { projectId: target.project, target: 'production', state: 'READY', limit: '20' }, signal: ctx.signal },
      );
      const earlier = list.deployments
        .filter((d) => d.uid !== live?.id && (live?.createdAt === undefined || d.created < live.createdAt))
        .sort((a, b) => b.created - a.created);
      to = earlier[0]?.uid;
      if (!to) throw new RollbackRefusedError('there is no earlier ready production deployment');
    }
    if (to === live?.id) throw new RollbackRefusedError(`${to} is already live`);
    step = 'switch';
    await ctx.step(step);
    await this.request('POST', `/v1/projects/${encodeURIComponent(target.project)}/rollback/${encodeURIComponent(to)}`, target, {
      query: { description: 'rollback requested in Switchboard' },
      signal: ctx.signal,
    });
    const now = await this.request<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(to)}`, target, { signal: ctx.signal });
    return { releaseId: to, url: now.url ? `https://${now.url}` : undefined, previous: live?.id };
  }

  async current(req: DeployTargetRef): Promise<LiveRelease | undefined> {
    const target = parseTarget(req);
    if (req.env === 'production') {
      const live = await this.liveProduction(target);
      if (!live) return undefined;
      return { releaseId: live.id, commit: live.meta?.githubCommitSha ?? '', since: new Date(live.createdAt ?? 0) };
    }
    const list = await this.request<{ deployments: Array<{ uid: string; created: number; meta?: Record<string, string> }> }>('GET', '/v6/deployments', target, {
      query: { projectId: target.project, target: req.env, state: 'READY', limit: '1' },
    });
    const latest = list.deployments[0];
    return latest ? { releaseId: latest.uid, commit: latest.meta?.githubCommitSha ?? '', since: new Date(latest.created) } : undefined;
  }

  /** Cancels a deployment that is still queued or building. */
  async cancel(id: string, teamId?: string): Promise<void> {
    await this.request('PATCH', `/v12/deployments/${encodeURIComponent(id)}/cancel`, { teamId });
  }

  /** What the project's production domains point at now (`targets.production` of the project). */
  private async liveProduction(target: VercelDeployTarget, signal?: AbortSignal): Promise<VercelDeployment | undefined> {
    const project = await this.request<{ targets?: { production?: VercelDeployment } }>('GET', `/v9/projects/${encodeURIComponent(target.project)}`, target, { signal });
    return project.targets?.production ?? undefined;
  }

  private async request<T = unknown>(
    method: string,
    path: string,
    target: { teamId?: string },
    options: { body?: unknown; query?: Record<string, string>; signal?: AbortSignal; what?: string } = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    if (target.teamId) url.searchParams.set('teamId', target.teamId);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (options.signal?.aborted) throw new DeployCancelledError('Vercel request');
      throw new ProviderUnavailableError(VERCEL, 'no connection', { cause: error });
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      data = {};
    }
    if (response.ok) return data as T;
    // Vercel's error body: {"error":{"code","message"}}, with invalidToken/missingToken on a refused token.
    const err = (data as { error?: { code?: string; message?: string; invalidToken?: boolean; missingToken?: boolean } }).error ?? {};
    const message = err.message ?? `HTTP ${response.status}`;
    if (response.status === 429) throw new ProviderRateLimitedError(VERCEL, retryAfterMs(response.headers));
    if (response.status === 401 || (response.status === 403 && (err.invalidToken === true || err.missingToken === true))) {
      throw new ProviderAuthError(VERCEL, 'VERCEL_TOKEN');
    }
    if (response.status === 404) throw new ProviderNotFoundError(VERCEL, options.what ?? describe(path));
    if (response.status >= 500) throw new ProviderUnavailableError(VERCEL, `HTTP ${response.status}`);
    throw new ProviderRejectedError(VERCEL, message);
  }
}

function describe(path: string): string {
  const project = /\/projects\/([^/]+)/.exec(path)?.[1];
  if (project) return `the project ${decodeURIComponent(project)}`;
  const deployment = /\/deployments\/([^/]+)/.exec(path)?.[1];
  return deployment ? `the deployment ${decodeURIComponent(deployment)}` : 'what was asked for';
}

/** Vercel sends `x-ratelimit-reset` (epoch seconds); `retry-after` is honoured when present. */
function retryAfterMs(headers: Headers): number {
  const after = Number(headers.get('retry-after'));
  if (headers.get('retry-after') !== null && Number.isFinite(after)) return after * 1000;
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - Date.now());
  return 60_000;
}

function parseTarget(req: DeployTargetRef): VercelDeployTarget {
  const parsed = VercelDeployTargetSchema.safeParse(req.target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeployTargetInvalidError(req.app, req.env, `${issue?.path.join('.') || 'target'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
