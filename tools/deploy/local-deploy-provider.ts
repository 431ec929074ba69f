import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SystemClock, type Clock } from '../../core/index.js';
import type { ProviderRunContext } from '../build/index.js';
import {
  ArtifactRequiredError,
  DeployCancelledError,
  DeployTargetInvalidError,
  HealthCheckFailedError,
  ReleaseNotFoundError,
  RollbackRefusedError,
} from './deploy-errors.js';
import type { DeployProvider, DeployRequest, DeployResult, DeployTargetRef, HealthCheck, LiveRelease, RollbackRequest } from './deploy-provider.js';
import { runHealthCheck } from './health-check.js';

/** The `target` of a `local` deploy in the app catalog. */
export const LocalDeployTargetSchema = z
  .object({
    /** The folder that holds `releases/` and the `current` symlink a web server serves. */
    path: z.string().min(1),
    /** How many releases to keep on disk (the live one is always kept). */
    keep: z.number().int().min(1).optional(),
    /** The app catalog's name for `keep` (tools/apps). */
    keepReleases: z.number().int().min(1).optional(),
    /** Where the live release is reachable, reported back to the person. */
    url: z.string().url().optional(),
  })
  .transform(({ keepReleases, keep, ...rest }) => ({ ...rest, keep: keep ?? keepReleases ?? 5 }));
export type LocalDeployTarget = z.output<typeof LocalDeployTargetSchema>;

type ReleaseStatus = 'pending' | 'good' | 'bad' | 'cancelled';

interface ReleaseMeta {
  releaseId: string;
  commit: string;
  deployId: string;
  createdAt: string;
  status: ReleaseStatus;
  /** When it last became live. */
  liveSince?: string;
  reason?: string;
}

const META_DIR = '.releases';

/**
 * Deploys into a folder on this machine. Layout under `target.path`:
 *
 *     releases/20261205T101500123Z-a1b2c3d4e5f6/   one folder per release, never changed after it is made
 *     .releases/<release id>.json                  its commit and status (good, bad = failed its check)
 *     current -> releases/<release id>             what is served
 *
 * `current` changes only by renaming a new symlink over it: rename(2) replaces it in one step, so a
 * server reading through it sees the old release or the new one and never a missing link.
 * (unlink-then-symlink would leave a window with no `current` at all.)
 */
export class LocalDeployProvider implements DeployProvider {
  readonly name = 'local' as const;
  private readonly clock: Clock;

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? new SystemClock();
  }

  async deploy(req: DeployRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const target = parseTarget(req);
    if (!req.artifactPath) throw new ArtifactRequiredError(req.app);
    const layout = new Layout(target.path);
    let step = 'prepare release';
    if (ctx.signal.aborted) throw new DeployCancelledError(step);
    await ctx.step(step);
    const releaseId = `${stamp(this.clock.now())}-${req.commit.slice(0, 12).replace(/[^A-Za-z0-9]/g, '') || 'nocommit'}`;
    await mkdir(layout.releases, { recursive: true });
    await mkdir(layout.meta, { recursive: true });
    await layout.removeLeftovers();
    // Copied under a temporary name and renamed: a release folder is complete or absent.
    const partial = path.join(layout.releases, `.partial-${releaseId}`);
    await cp(req.artifactPath, partial, { recursive: true });
    await rename(partial, layout.release(releaseId));
    const meta: ReleaseMeta = {
      releaseId,
      commit: req.commit,
      deployId: req.deployId,
      createdAt: new Date(this.clock.now()).toISOString(),
      status: 'pending',
    };
    await layout.writeMeta(meta);
    if (ctx.signal.aborted) {
      await layout.writeMeta({ ...meta, status: 'cancelled' });
      throw new DeployCancelledError(step);
    }

    const previous = await layout.liveId();
    step = 'switch';
    await ctx.step(step);
    await layout.switchTo(releaseId);
    meta.liveSince = new Date(this.clock.now()).toISOString();
    await layout.writeMeta(meta);
    ctx.log(`${releaseId} is live${previous ? ` (was ${previous})` : ''}`);

    if (req.healthCheck) {
      step = 'health check';
      let outcome: Awaited<ReturnType<typeof runHealthCheck>>;
      try {
        await ctx.step(step); // may throw when the job is cancelled: the new release must not stay live unverified
        outcome = await runHealthCheck(req.healthCheck, { signal: ctx.signal, cwd: layout.current });
      } catch (error) {
        outcome = { ok: false, aborted: true, reason: error instanceof Error ? error.message : String(error) };
      }
      if (!outcome.ok) {
        await this.restore(layout, previous);
        if ('aborted' in outcome) {
          await layout.writeMeta({ ...meta, status: 'cancelled' });
          throw new DeployCancelledError(step, previous);
        }
        await layout.writeMeta({ ...meta, status: 'bad', reason: outcome.reason });
        ctx.log(`health check failed: ${outcome.reason}; switched back${previous ? ` to ${previous}` : ''}`);
        throw new HealthCheckFailedError(releaseId, outcome.reason, previous);
      }
      ctx.log('health check passed');
    }
    await layout.writeMeta({ ...meta, status: 'good' });
    await layout.prune(target.keep);
    return { releaseId, url: target.url, previous };
  }

  async rollback(req: RollbackRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const target = parseTarget(req);
    const layout = new Layout(target.path);
    let step = 'choose release';
    if (ctx.signal.aborted) throw new DeployCancelledError(step);
    await ctx.step(step);
    const releases = await layout.list();
    const live = await layout.liveId();
    let chosen: ReleaseMeta | undefined;
    if (req.toRelease) {
      const wanted = req.toRelease;
      chosen =
        releases.find((r) => r.releaseId === wanted) ??
        (wanted.length >= 7 ? [...releases].reverse().find((r) => r.commit.startsWith(wanted) && r.status === 'good') : undefined);
      if (!chosen) throw new ReleaseNotFoundError(req.app, req.env, wanted);
      if (chosen.releaseId === live) throw new RollbackRefusedError(`${chosen.releaseId} is already live`);
      if (chosen.status === 'bad') throw new RollbackRefusedError(`${chosen.releaseId} failed its health check (${chosen.reason ?? 'no reason kept'})`);
      if (chosen.status !== 'good') throw new RollbackRefusedError(`${chosen.releaseId} never finished deploying`);
    } else {
      // Release ids start with a sortable timestamp: "earlier than live" is a string comparison.
      chosen = releases.filter((r) => r.status === 'good' && (live === undefined || r.releaseId < live)).pop();
      if (!chosen) throw new RollbackRefusedError('there is no earlier release that passed its health check');
    }
    step = 'switch';
    await ctx.step(step);
    await layout.switchTo(chosen.releaseId);
    const meta = { ...chosen, liveSince: new Date(this.clock.now()).toISOString() };
    await layout.writeMeta(meta);
    ctx.log(`${chosen.releaseId} is live again${live ? ` (was ${live})` : ''}`);
    if (req.healthCheck) {
      step = 'health check';
      let outcome: Awaited<ReturnType<typeof runHealthCheck>>;
      try {
        await ctx.step(step);
        outcome = await runHealthCheck(req.healthCheck, { signal: ctx.signal, cwd: layout.current });
      } catch (error) {
        outcome = { ok: false, aborted: true, reason: error instanceof Error ? error.message : String(error) };
      }
      if (!outcome.ok) {
        await this.restore(layout, live);
        if ('aborted' in outcome) throw new DeployCancelledError(step, live);
        await layout.writeMeta({ ...meta, status: 'bad', reason: outcome.reason });
        throw new HealthCheckFailedError(chosen.releaseId, outcome.reason, live);
      }
    }
    return { releaseId: chosen.releaseId, url: target.url, previous: live };
  }

  /**
   * After a crash or restart in the middle of a deploy: a release that went live but never passed (or
   * never ran) its health check is taken down and the newest good release before it is live again;
   * half-copied releases and stray temporary links are removed. Returns what it changed, if anything.
   */
  async recover(req: DeployTargetRef): Promise<{ discarded: string; restored?: string } | undefined> {
    const layout = new Layout(parseTarget(req).path);
    await layout.removeLeftovers();
    const live = await layout.liveId();
    if (!live) return undefined;
    const meta = await layout.readMeta(live);
    if (!meta || meta.status === 'good') return undefined;
    const restored = (await layout.list()).filter((r) => r.status === 'good' && r.releaseId < live).pop()?.releaseId;
    await this.restore(layout, restored);
    await layout.writeMeta({ ...meta, status: 'cancelled', reason: 'interrupted before its health check passed' });
    return { discarded: live, restored };
  }

  async current(req: DeployTargetRef): Promise<LiveRelease | undefined> {
    const layout = new Layout(parseTarget(req).path);
    const id = await layout.liveId();
    if (!id) return undefined;
    const meta = await layout.readMeta(id);
    if (!meta) return undefined;
    return { releaseId: id, commit: meta.commit, since: new Date(meta.liveSince ?? meta.createdAt) };
  }

  private async restore(layout: Layout, previous: string | undefined): Promise<void> {
    if (previous) {
      await layout.switchTo(previous);
      const meta = await layout.readMeta(previous);
      if (meta) await layout.writeMeta({ ...meta, liveSince: new Date(this.clock.now()).toISOString() });
    } else {
      // First deploy: before it nothing was live, so removing the link is the state we return to.
      await unlink(layout.current).catch(() => undefined);
    }
  }
}

function parseTarget(req: DeployTargetRef): LocalDeployTarget {
  const parsed = LocalDeployTargetSchema.safeParse(req.target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeployTargetInvalidError(req.app, req.env, `${issue?.path.join('.') || 'target'}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...parsed.data, path: path.resolve(parsed.data.path) };
}

/** 2026-12-05T10:15:00.123Z → 20261205T101500123Z: sortable, and safe in a folder name. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

class Layout {
  readonly releases: string;
  readonly meta: string;
  readonly current: string;

  constructor(readonly root: string) {
    this.releases = path.join(root, 'releases');
    this.meta = path.join(root, META_DIR);
    this.current = path.join(root, 'current');
  }

  release(id: string): string {
    return path.join(this.releases, id);
  }

  async switchTo(id: string): Promise<void> {
    const temp = path.join(this.root, `.current-${randomUUID()}`);
    // Relative, so the whole folder can be moved or mounted elsewhere.
    await symlink(path.join('releases', id), temp);
    try {
      await rename(temp, this.current);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async liveId(): Promise<string | undefined> {
    const link = await readlink(this.current).catch(() => undefined);
    return link === undefined ? undefined : path.basename(link);
  }

  async readMeta(id: string): Promise<ReleaseMeta | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.meta, `${id}.json`), 'utf8')) as ReleaseMeta;
    } catch {
      return undefined;
    }
  }

  async writeMeta(meta: ReleaseMeta): Promise<void> {
    const file = path.join(this.meta, `${meta.releaseId}.json`);
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, JSON.stringify(meta, null, 2));
    await rename(temp, file);
  }

  /** Every release with its metadata, oldest first. */
  async list(): Promise<ReleaseMeta[]> {
    const names = await readdir(this.releases).catch(() => [] as string[]);
    const out: ReleaseMeta[] = [];
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const meta = await this.readMeta(name);
      if (meta) out.push(meta);
    }
    return out;
  }

  /** What a deploy killed mid-way leaves: `releases/.partial-*` copies and `.current-*` links never renamed. */
  async removeLeftovers(): Promise<void> {
    for (const name of await readdir(this.releases).catch(() => [] as string[])) {
      if (name.startsWith('.partial-')) await rm(path.join(this.releases, name), { recursive: true, force: true });
    }
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name.startsWith('.current-')) await unlink(path.join(this.root, name)).catch(() => undefined);
    }
  }

  /** Keeps the newest `keep` releases and always the live one. */
  async prune(keep: number): Promise<void> {
    const live = await this.liveId();
    const names = (await readdir(this.releases)).filter((n) => !n.startsWith('.')).sort();
    const doomed = names.slice(0, Math.max(0, names.length - keep)).filter((n) => n !== live);
    for (const name of doomed) {
      if (!(await stat(this.release(name)).catch(() => undefined))) continue;
      await rm(this.release(name), { recursive: true, force: true });
      await rm(path.join(this.meta, `${name}.json`), { force: true });
    }
  }
}
