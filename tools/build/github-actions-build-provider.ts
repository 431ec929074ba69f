import type { Octokit } from '@octokit/rest';
import { BuildCancelledError, BuildFailedError, BuildTimeoutError } from './build-errors.js';
import type { BuildProvider, BuildRequest, BuildResult, ProviderRunContext } from './build-provider.js';
import {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './provider-errors.js';
import { abortableDelay } from './sandbox-store.js';

const GITHUB = 'GitHub';

export interface GitHubActionsBuildProviderOptions {
  /** GITHUB_TOKEN: a token allowed to run workflows (`actions:write`). */
  token: string;
  /** GITHUB_API_URL; https://api.github.com when absent. */
  baseUrl?: string;
  /** Which workflow to dispatch when the app names none (its file name or numeric id). */
  defaultWorkflow?: string;
  /** Between two looks at the run. GitHub allows 5,000 requests an hour per token: 5 s keeps a build far below. */
  pollIntervalMs?: number;
  /** How long a dispatched run may take to appear in the list of runs. */
  findRunTimeoutMs?: number;
}

/** `owner/repo` from "owner/repo", "https://github.com/owner/repo(.git)" or "git@github.com:owner/repo.git". */
export function parseGitHubRepository(repository: string): { owner: string; repo: string } | undefined {
  const match = /^(?:[a-z+]+:\/\/[^/]+\/|git@[^:]+:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(repository.trim());
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

interface RunView {
  id: number;
  status: string | null;
  conclusion: string | null;
  head_sha: string;
  html_url: string;
  created_at: string;
}

/**
 * Builds by dispatching the app's GitHub Actions workflow (`workflow_dispatch`) and following the run.
 * Settings come from `req.settings`: `workflow` (file name or id) and `inputs` (the workflow's declared
 * inputs; GitHub refuses undeclared ones). Cancelling (signal) or running out of time cancels the run.
 *
 * The dispatch endpoint answers 204 without the run, so the run is found by listing this workflow's
 * `workflow_dispatch` runs on the ref created since just before the dispatch, minus those seen before it.
 */
export class GitHubActionsBuildProvider implements BuildProvider {
  readonly name = 'github-actions' as const;
  private readonly client: Promise<Octokit>;
  private readonly pollMs: number;
  private readonly findRunTimeoutMs: number;

  constructor(private readonly options: GitHubActionsBuildProviderOptions) {
    // @octokit/rest (about 45 ms of imports) is loaded only when this provider is made (a GITHUB_TOKEN
    // is set), not with every start of the service.
    this.client = import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: options.token,
          baseUrl: options.baseUrl ?? 'https://api.github.com',
          userAgent: 'switchboard',
          // Octokit logs failed requests with console.warn/error by default; our errors carry what matters.
          log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        }),
    );
    // A failed load is reported by the first call that needs the client, not as an unhandled rejection.
    this.client.catch(() => {});
    this.pollMs = options.pollIntervalMs ?? 5000;
    this.findRunTimeoutMs = options.findRunTimeoutMs ?? 60_000;
  }

  async build(req: BuildRequest, ctx: ProviderRunContext): Promise<BuildResult> {
    const startedAt = Date.now();
    const deadline = startedAt + req.timeoutMs;
    const where = parseGitHubRepository(req.repository);
    if (!where) throw new ProviderRejectedError(GITHUB, `${req.repository} is not a GitHub repository (expected owner/repo)`);
    const settings = req.settings ?? {};
    const workflow = String(settings.workflow ?? this.options.defaultWorkflow ?? 'build.yml');
    const inputs = (settings.inputs ?? {}) as Record<string, string>;
    const { owner, repo } = where;
    const what = `the workflow ${workflow} in ${owner}/${repo}`;
    const call = <T>(fn: () => Promise<T>) => this.call(fn, what);
    const signal = ctx.signal;
    const octokit = await this.client;

    let step = 'dispatch';
    if (signal.aborted) throw new BuildCancelledError(step);
    await ctx.step(step);
    // A little before now: GitHub's clock and ours differ, and `created` has one-second precision.
    const since = new Date(Date.now() - 10_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const listRuns = async () =>
      (
        await call(() =>
          octokit.rest.actions.listWorkflowRuns({
            owner,
            repo,
            workflow_id: workflow,
            event: 'workflow_dispatch',
            branch: req.ref,
            created: `>=${since}`,
            per_page: 50,
            request: { signal },
          }),
        )
      ).data.workflow_runs as RunView[];
    const before = new Set((await listRuns()).map((r) => r.id));
    await call(() =>
      octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: workflow, ref: req.ref, inputs, request: { signal } }),
    );
    ctx.log(`dispatched ${workflow} on ${req.ref} in ${owner}/${repo}`);

    let run: RunView | undefined;
    const findBy = Math.min(deadline, Date.now() + this.findRunTimeoutMs);
    while (!run) {
      await this.pause(Math.min(this.pollMs, 1000), signal, step);
      const fresh = (await listRuns()).filter((r) => !before.has(r.id));
      // Several new runs: someone else dispatched too; ours is the first one created after our dispatch.
      run = fresh.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)[0];
      if (!run && Date.now() > findBy) {
        throw new ProviderUnavailableError(GITHUB, `the dispatched run of ${workflow} did not show up within ${Math.round(this.findRunTimeoutMs / 1000)} s`);
      }
    }
    ctx.log(`run ${run.id}: ${run.html_url}`);

    const runId = run.id;
    let lastStatus = '';
    try {
      for (;;) {
        const status = run.status ?? 'queued';
        if (status !== lastStatus) {
          lastStatus = status;
          if (status === 'completed') break;
          step = status === 'in_progress' ? 'running on GitHub Actions' : 'waiting for a GitHub runner';
          await ctx.step(step);
          ctx.log(`run ${runId} is ${status}`);
        }
        if (Date.now() >= deadline) throw new BuildTimeoutError(step, req.timeoutMs);
        await this.pause(Math.min(this.pollMs, Math.max(0, deadline - Date.now())), signal, step);
        try {
          run = (await call(() => octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } }))).data as RunView;
        } catch (error) {
          // A rate limit or a hiccup while the run goes on is waited out, not a reason to give up on the run.
          if (error instanceof ProviderRateLimitedError) {
            ctx.log(`GitHub asks us to wait ${Math.ceil(error.retryAfterMs / 1000)} s`);
            await this.pause(Math.min(error.retryAfterMs, Math.max(0, deadline - Date.now())), signal, step);
          } else if (!(error instanceof ProviderUnavailableError)) {
            throw error;
          }
        }
      }
    } catch (error) {
      // Whatever stops us following the run (cancel, time limit, a refused token) stops the run too.
      await this.cancelRun(owner, repo, runId).catch(() => undefined);
      throw error;
    }

    ctx.log(`run ${runId} finished: ${run.conclusion}`);
    const durationMs = Date.now() - startedAt;
    switch (run.conclusion) {
      case 'success':
        return { commit: run.head_sha, url: run.html_url, durationMs };
      case 'cancelled':
        throw new BuildCancelledError('running on GitHub Actions');
      default: {
        const failed = await this.failedStep(owner, repo, runId).catch(() => undefined);
        throw new BuildFailedError(
          failed ? `${failed.job}: ${failed.step}` : 'running on GitHub Actions',
          failed ? [`job "${failed.job}" failed at step "${failed.step}"`] : [`the run ended with "${run.conclusion}"`],
          undefined,
          run.html_url,
        );
      }
    }
  }

  /** Asks GitHub to cancel a run; a run that already finished (409) is fine. */
  async cancelRun(owner: string, repo: string, runId: number): Promise<void> {
    try {
      await (await this.client).rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId });
    } catch (error) {
      if ((error as { status?: number }).status === 409) return;
      throw toProviderError(error, `run ${runId} in ${owner}/${repo}`);
    }
  }

  private async failedStep(owner: string, repo: string, runId: number): Promise<{ job: string; step: string } | undefined> {
    const jobs = (await (await this.client).rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: runId })).data.jobs;
    for (const job of jobs) {
      if (job.conclusion !== 'failure' && job.conclusion !== 'timed_out') continue;
      const step = job.steps?.find((s) => s.conclusion === 'failure' || s.conclusion === 'timed_out');
      return { job: job.name, step: step?.name ?? 'unknown step' };
    }
    return undefined;
  }

  private pause(ms: number, signal: AbortSignal, step: string): Promise<void> {
    return abortableDelay(ms, signal, () => new BuildCancelledError(step));
  }

  private async call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toProviderError(error, what);
    }
  }
}

/** Octokit's RequestError (status, response headers and body) → our typed provider errors. */
export function toProviderError(error: unknown, what: string): Error {
  if (error instanceof BuildCancelledError) return error;
  const e = error as { name?: string; status?: number; message?: string; response?: { headers?: Record<string, string | undefined>; data?: unknown } };
  if (e.name === 'AbortError' || (e.status === 500 && /abort/i.test(e.message ?? ''))) return new BuildCancelledError('GitHub request');
  const status = e.status;
  const headers = e.response?.headers ?? {};
  const body = e.response?.data as { message?: string } | undefined;
  const message = body?.message ?? e.message ?? 'unknown error';
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined))) {
    return new ProviderRateLimitedError(GITHUB, retryAfterMs(headers), { cause: error });
  }
  if (status === 401) return new ProviderAuthError(GITHUB, 'GITHUB_TOKEN', { cause: error });
  if (status === 403) return new ProviderRejectedError(GITHUB, `the token is not allowed to do this (${message})`, { cause: error });
  if (status === 404) return new ProviderNotFoundError(GITHUB, what, { cause: error });
  if (status === 422 || status === 400 || status === 409) return new ProviderRejectedError(GITHUB, message, { cause: error });
  return new ProviderUnavailableError(GITHUB, status ? `HTTP ${status}` : 'no connection', { cause: error });
}

/** `retry-after` (seconds) first, then `x-ratelimit-reset` (epoch seconds), else a minute as GitHub advises. */
function retryAfterMs(headers: Record<string, string | undefined>): number {
  const after = Number(headers['retry-after']);
  if (Number.isFinite(after) && after >= 0) return after * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - Date.now());
  return 60_000;
}
