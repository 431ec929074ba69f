import type { JobDispatcher } from './job-runner.js';

/**
 * Without REDIS_URL, jobs run in the service's own process: a FIFO with a concurrency limit. The records
 * are still in PostgreSQL, so a restart finds them (queued ones run, running ones are marked interrupted).
 */
export class InProcessDispatcher implements JobDispatcher {
  readonly description = 'in-process jobs';
  private readonly pending: string[] = [];
  private readonly known = new Set<string>();
  private inFlight = 0;
  private run: ((jobId: string) => Promise<void>) | undefined;
  private paused = true;

  constructor(private readonly concurrency = 2) {}

  async dispatch(jobId: string): Promise<void> {
    if (this.known.has(jobId)) return;
    this.known.add(jobId);
    this.pending.push(jobId);
    this.pump();
  }

  async start(run: (jobId: string) => Promise<void>): Promise<void> {
    this.run = run;
    this.paused = false;
    this.pump();
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  async close(): Promise<void> {
    this.paused = true;
    this.pending.length = 0;
    this.known.clear();
  }

  private pump(): void {
    while (!this.paused && this.run && this.inFlight < this.concurrency && this.pending.length) {
      const jobId = this.pending.shift()!;
      this.inFlight++;
      void this.run(jobId)
        .catch(() => {})
        .finally(() => {
          this.inFlight--;
          this.known.delete(jobId);
          this.pump();
        });
    }
  }
}
