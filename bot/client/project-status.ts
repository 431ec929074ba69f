import { formatDue } from '../../tools/index.js';
import type { AppCatalog } from '../../tools/apps/index.js';
import { when } from '../../tools/build/index.js';
import { deployLockKey } from '../../tools/deploy/index.js';
import type { JobQueue } from '../../tools/jobs/index.js';
import type { ClientDirectory } from './client-ports.js';
import type { ClientRepo } from './client-repo.js';

/** The environments a client hears about (preview builds are the team's). */
const CLIENT_ENVIRONMENTS = ['production', 'staging'] as const;

const sameCompany = (a: string, b: string) => a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'base' }) === 0;

/**
 * A client's own projects: the catalog's apps whose `client` is the company the team recorded for the
 * number they write from (never a company named in the message), with each one's last deploy and its open
 * tasks marked client-visible. Nothing else: no commits, no people, no other company's apps.
 */
export class ProjectStatus {
  constructor(
    private readonly deps: {
      catalog: AppCatalog;
      jobs: JobQueue;
      repo: ClientRepo;
      directory: ClientDirectory | undefined;
    },
  ) {}

  /** Lines about the client's projects, or undefined when no project is linked to them. */
  async linesFor(phone: string | undefined, now: number, timezone: string): Promise<string[] | undefined> {
    const company = phone && this.deps.directory ? await this.deps.directory.companyOf(phone) : undefined;
    if (!company) return undefined;
    const apps = this.deps.catalog.list().filter((app) => app.client && sameCompany(app.client, company));
    if (apps.length === 0) return undefined;
    const lines: string[] = [];
    for (const app of apps) {
      const deploys: string[] = [];
      for (const env of CLIENT_ENVIRONMENTS) {
        const [last] = await this.deps.jobs.list({ lockKey: deployLockKey(app.name, env), limit: 1 });
        if (!last) continue;
        const at = when(last.endedAt ?? last.createdAt, now, timezone);
        const outcome = last.status === 'succeeded' ? `updated ${at}` : last.status === 'failed' ? `an update ${at} did not go through; the team is on it` : `being updated (${at})`;
        deploys.push(`${env === 'production' ? 'live site' : 'preview for you (staging)'}: ${outcome}`);
      }
      lines.push(`• ${app.name}: ${deploys.length ? deploys.join('; ') : 'not published yet'}`);
    }
    const tasks = await this.deps.repo.visibleTasks(apps.map((a) => a.name));
    if (tasks.length) {
      lines.push('Open items:');
      for (const task of tasks) lines.push(`• ${task.title}${task.dueAt ? ` (due ${formatDue(task.dueAt, timezone)})` : ''}`);
    }
    return lines;
  }
}
