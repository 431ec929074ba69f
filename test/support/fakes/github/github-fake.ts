import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the GitHub REST API endpoints the `github-actions` build provider uses, as a real HTTP
 * server on 127.0.0.1; Octokit is pointed at it with `baseUrl`, so its request code runs for real.
 *
 * Follows GitHub's documented behaviour (docs.github.com/rest/actions/workflows, …/workflow-runs):
 * - auth: `Authorization: token <t>` or `Bearer <t>`; missing or wrong → 401 `{"message":"Bad credentials"}`;
 * - `POST /repos/{o}/{r}/actions/workflows/{id}/dispatches`: JSON body with a string `ref` (else 422),
 *   `inputs` only those the workflow declares (else 422 "Unexpected inputs provided: [...]"); a workflow
 *   without the trigger → 422 "Workflow does not have 'workflow_dispatch' trigger"; an unknown ref →
 *   422 "No ref found for: x"; unknown repository or workflow → 404 `{"message":"Not Found"}`;
 *   success → 204 with no body, and the run appears in the list after `runAppearsAfterMs`;
 * - `GET …/workflows/{id}/runs` with `event`, `branch`, `created` (`>=ISO`) filters, newest first;
 * - `GET …/actions/runs/{run_id}` (status queued → in_progress → completed, then `conclusion`);
 * - `GET …/actions/runs/{run_id}/jobs` (a job with steps; the failing step named on failure);
 * - `POST …/actions/runs/{run_id}/cancel` → 202, or 409 when the run has completed;
 * - rate limits, scripted with `rateLimit()`: 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`,
 *   or 429 with `retry-after`, as GitHub sends for primary and secondary limits.
 */

export const FAKE_GITHUB_TOKEN = 'ghp_fakeTokenForTests000000000000000000';

export interface FakeWorkflow {
  id: number;
  /** The file name, e.g. build.yml; either it or the id addresses the workflow. */
  file: string;
  dispatchable?: boolean;
  inputs?: string[];
}

export interface RunScript {
  conclusion: 'success' | 'failure' | 'cancelled' | 'timed_out';
  queuedMs?: number;
  runningMs?: number;
  failingStep?: string;
}

export interface FakeRun {
  id: number;
  name: string;
  workflow_id: number;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  head_branch: string;
  head_sha: string;
  html_url: string;
  url: string;
  created_at: string;
  updated_at: string;
  run_attempt: number;
  inputs: Record<string, string>;
  visibleAt: number;
  cancelledAt?: number;
  script: RunScript;
  repo: string;
}

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

interface FakeRepo {
  workflows: FakeWorkflow[];
  refs: Map<string, string>;
}

export class GitHubFake {
  readonly requests: RecordedGitHubRequest[] = [];
  readonly runs = new Map<number, FakeRun>();
  private readonly repos = new Map<string, FakeRepo>();
  private server?: LoopbackServer;
  private nextRunId = 9_000_000_001;
  private readonly scripts: RunScript[] = [];
  private limits: Array<{ kind: '403' | '429'; retryAfterS: number }> = [];
  runAppearsAfterMs = 50;
  /** How many requests were refused by a scripted rate limit. */
  rateLimited = 0;

  constructor(readonly token = FAKE_GITHUB_TOKEN) {}

  get url(): string {
    if (!this.server) throw new Error('GitHubFake not started');
    return `http://127.0.0.1:${this.server.port}`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  addRepo(fullName: string, options: { workflows: FakeWorkflow[]; refs?: string[] }): this {
    const refs = new Map((options.refs ?? ['main']).map((r) => [r, createHash('sha1').update(`${fullName}@${r}`).digest('hex')]));
    this.repos.set(fullName.toLowerCase(), { workflows: options.workflows, refs });
    return this;
  }

  shaOf(fullName: string, ref: string): string {
    return this.repos.get(fullName.toLowerCase())!.refs.get(ref)!;
  }

  /** How the next dispatched runs end, in order; without a script a run succeeds after 100 ms + 100 ms. */
  nextRun(script: RunScript): this {
    this.scripts.push(script);
    return this;
  }

  /** The next `count` requests are refused by a rate limit. */
  rateLimit(kind: '403' | '429', retryAfterS = 30, count = 1): this {
    for (let i = 0; i < count; i++) this.limits.push({ kind, retryAfterS });
    return this;
  }

  /** Adds a run that someone else dispatched (to check that ours is told apart). */
  foreignRun(fullName: string, workflowFile: string, ref: string): FakeRun {
    const repo = this.repos.get(fullName.toLowerCase())!;
    const wf = repo.workflows.find((w) => w.file === workflowFile)!;
    const run = this.createRun(fullName, repo, wf, ref, {}, { conclusion: 'success', queuedMs: 10_000, runningMs: 10_000 });
    run.visibleAt = Date.now();
    return run;
  }

  // --- HTTP ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.send(res, 400, { message: 'Problems parsing JSON' });
    }
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorization: req.headers.authorization, body });

    const auth = req.headers.authorization ?? '';
    const presented = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    if (presented !== this.token) return this.send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

    const limit = this.limits.shift();
    if (limit) {
      this.rateLimited++;
      if (limit.kind === '429') return this.send(res, 429, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': String(limit.retryAfterS) });
      return this.send(res, 403, { message: 'API rate limit exceeded for user ID 1.' }, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + limit.retryAfterS),
      });
    }

    const m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/(.+)$/.exec(url.pathname);
    const repoName = m ? `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}` : '';
    const repo = this.repos.get(repoName.toLowerCase());
    if (!m || !repo) return this.notFound(res);
    const rest = m[3]!;
    let mm: RegExpExecArray | null;

    if (req.method === 'POST' && (mm = /^workflows\/([^/]+)\/dispatches$/.exec(rest))) {
      const wf = this.workflow(repo, decodeURIComponent(mm[1]!));
      if (!wf) return this.notFound(res);
      const b = body as { ref?: unknown; inputs?: unknown } | undefined;
      if (typeof b?.ref !== 'string') return this.send(res, 422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.', status: '422' });
      if (!wf.dispatchable && wf.dispatchable !== undefined) return this.send(res, 422, { message: "Workflow does not have 'workflow_dispatch' trigger", status: '422' });
      if (!repo.refs.has(b.ref)) return this.send(res, 422, { message: `No ref found for: ${b.ref}`, status: '422' });
      const inputs = (b.inputs ?? {}) as Record<string, string>;
      const unexpected = Object.keys(inputs).filter((k) => !(wf.inputs ?? []).includes(k));
      if (unexpected.length > 0) return this.send(res, 422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, status: '422' });
      this.createRun(repoName, repo, wf, b.ref, inputs, this.scripts.shift() ?? { conclusion: 'success', queuedMs: 100, runningMs: 100 });
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && (mm = /^workflows\/([^/]+)\/runs$/.exec(rest))) {
      const wf = this.workflow(repo, decodeURIComponent(mm[1]!));
      if (!wf) return this.notFound(res);
      const event = url.searchParams.get('event');
      const branch = url.searchParams.get('branch');
      const created = url.searchParams.get('created');
      const after = created?.startsWith('>=') ? Date.parse(created.slice(2)) : undefined;
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const runs = [...this.runs.values()]
        .filter((r) => r.repo === repoName && r.workflow_id === wf.id && Date.now() >= r.visibleAt)
        .filter((r) => (!event || r.event === event) && (!branch || r.head_branch === branch))
        .filter((r) => after === undefined || Date.parse(r.created_at) >= after)
        .sort((a, b) => b.id - a.id);
      return this.send(res, 200, { total_count: runs.length, workflow_runs: runs.slice(0, perPage).map((r) => this.view(r)) });
    }
    if ((mm = /^runs\/(\d+)(\/jobs|\/cancel)?$/.exec(rest))) {
      const run = this.runs.get(Number(mm[1]));
      if (!run || run.repo !== repoName || Date.now() < run.visibleAt) return this.notFound(res);
      if (req.method === 'GET' && !mm[2]) return this.send(res, 200, this.view(run));
      if (req.method === 'GET' && mm[2] === '/jobs') return this.send(res, 200, this.jobs(run));
      if (req.method === 'POST' && mm[2] === '/cancel') {
        if (this.view(run).status === 'completed') return this.send(res, 409, { message: 'Cannot cancel a workflow run that is completed.', status: '409' });
        run.cancelledAt = Date.now();
        return this.send(res, 202, {});
      }
    }
    return this.notFound(res);
  }

  private createRun(repoName: string, repo: FakeRepo, wf: FakeWorkflow, ref: string, inputs: Record<string, string>, script: RunScript): FakeRun {
    const id = this.nextRunId++;
    // GitHub's timestamps have one-second precision.
    const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const run: FakeRun = {
      id,
      name: wf.file.replace(/\.ya?ml$/, ''),
      workflow_id: wf.id,
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      head_branch: ref,
      head_sha: repo.refs.get(ref)!,
      html_url: `https://github.com/${repoName}/actions/runs/${id}`,
      url: `${this.url}/repos/${repoName}/actions/runs/${id}`,
      created_at: created,
      updated_at: created,
      run_attempt: 1,
      inputs,
      visibleAt: Date.now() + this.runAppearsAfterMs,
      script,
      repo: repoName,
    };
    this.runs.set(id, run);
    return run;
  }

  /** The run as the API shows it now: its status follows the script's timings, or the cancel. */
  private view(run: FakeRun): Omit<FakeRun, 'visibleAt' | 'cancelledAt' | 'script' | 'repo' | 'inputs'> {
    const age = Date.now() - run.visibleAt;
    const queued = run.script.queuedMs ?? 100;
    const running = run.script.runningMs ?? 100;
    let status: FakeRun['status'] = age < queued ? 'queued' : age < queued + running ? 'in_progress' : 'completed';
    let conclusion: string | null = status === 'completed' ? run.script.conclusion : null;
    if (run.cancelledAt !== undefined && Date.now() - run.cancelledAt > 20) {
      status = 'completed';
      conclusion = 'cancelled';
    }
    const { visibleAt: _v, cancelledAt: _c, script: _s, repo: _r, inputs: _i, ...shown } = run;
    return { ...shown, status, conclusion, updated_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  private jobs(run: FakeRun): unknown {
    const v = this.view(run);
    const failed = v.conclusion === 'failure' || v.conclusion === 'timed_out';
    const failing = run.script.failingStep ?? 'Run npm run build';
    const steps = ['Set up job', 'Run actions/checkout@v4', failing].map((name, i) => ({
      name,
      number: i + 1,
      status: v.status === 'completed' ? 'completed' : 'in_progress',
      conclusion: v.status !== 'completed' ? null : failed && name === failing ? v.conclusion : 'success',
    }));
    return {
      total_count: 1,
      jobs: [{ id: run.id * 10, run_id: run.id, name: 'build', status: v.status, conclusion: v.conclusion, html_url: `${run.html_url}/job/${run.id * 10}`, steps }],
    };
  }

  private workflow(repo: FakeRepo, idOrFile: string): FakeWorkflow | undefined {
    return repo.workflows.find((w) => String(w.id) === idOrFile || w.file === idOrFile);
  }

  private notFound(res: ServerResponse): void {
    this.send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }
}
