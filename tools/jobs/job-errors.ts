import { SwitchboardError } from '../../core/index.js';

export class JobNotFoundError extends SwitchboardError {
  readonly code = 'job_not_found';
  override readonly status = 404;
  constructor(readonly jobId: string) {
    super(`There is no job ${jobId}.`);
  }
}

/** A job ran out of steps to stop at: it was cancelled (or its lock broken, or the process is stopping). */
export class JobAbortedError extends SwitchboardError {
  readonly code = 'job_aborted';
  constructor(readonly reason: JobAbortReason) {
    super(`the job was stopped (${reason})`);
  }
}

export type JobAbortReason = 'cancelled' | 'lock_lost' | 'shutdown';
