/**
 * The build port. The jobs runtime (tools/jobs/) calls `build()` inside a job; a provider never queues,
 * locks or records anything itself, so the same provider runs in-process or on a BullMQ worker.
 *
 * @example
 * const result = await provider.build(
 *   { buildId: 'b1', app: 'site', repository: '/srv/site.git', ref: 'main', commands: ['npm run build'],
 *     outputDir: 'dist', env: {}, timeoutMs: 600_000, maxOutputBytes: 5_000_000 },
 *   { signal, step: async (name) => progress(name), log: (line) => logs.push(line) },
 * );
 */

/** What a provider receives from the job that runs it. */
export interface ProviderRunContext {
  /** Aborted when the person cancels or the worker shuts down; the provider stops its process or remote run. */
  readonly signal: AbortSignal;
  /** A named step ("checkout", "run npm run build"): what the person sees as progress, never log lines. */
  step(name: string): Promise<void>;
  /** One line of output, kept with the run (`switchboard runs logs <id>`). */
  log(line: string): void;
}

export interface BuildRequest {
  buildId: string;
  app: string;
  /** A git URL or a local path. */
  repository: string;
  /** A branch, tag or commit. */
  ref: string;
  /** Shell commands run one after the other in the checkout. */
  commands: string[];
  /** The folder, relative to the checkout, that is the artifact. */
  outputDir: string;
  /** The only variables the commands see (plus a minimal PATH and HOME). */
  env: Record<string, string>;
  /** For the whole build: checkout and every command. */
  timeoutMs: number;
  /** Limit on the commands' combined output (stdout and stderr). */
  maxOutputBytes: number;
  /** The app's settings for its build provider, from the catalog (github-actions: `workflow`, `inputs`). */
  settings?: Record<string, unknown>;
}

export interface BuildResult {
  /** The full commit sha that was built. */
  commit: string;
  /** Where the stored artifact is (local builds). */
  artifactPath?: string;
  /** Where the run can be seen (remote builds). */
  url?: string;
  durationMs: number;
  /** Set by the sandbox provider: nothing real was built, and every reply says SANDBOX. */
  sandbox?: true;
}

export interface BuildProvider {
  readonly name: 'local' | 'github-actions' | 'sandbox';
  build(req: BuildRequest, ctx: ProviderRunContext): Promise<BuildResult>;
}
