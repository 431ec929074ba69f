import { SwitchboardError } from '../../core/index.js';

/** How many log lines a failure carries: enough to see the error, short enough for a chat message. */
export const LAST_LINES = 20;

/** A command exited non-zero, or a remote run concluded in failure. */
export class BuildFailedError extends SwitchboardError {
  readonly code = 'build_failed';
  constructor(
    readonly step: string,
    readonly lastLines: string[],
    readonly exitCode?: number,
    readonly url?: string,
  ) {
    super(
      `The build failed at step "${step}"${exitCode === undefined ? '' : ` (exit code ${exitCode})`}.` +
        (lastLines.length > 0 ? `\nLast lines:\n${lastLines.join('\n')}` : '') +
        (url ? `\nSee ${url}` : ''),
    );
  }
}

export class BuildTimeoutError extends SwitchboardError {
  readonly code = 'build_timeout';
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
    readonly lastLines: string[] = [],
  ) {
    super(`The build took longer than its limit of ${formatMs(timeoutMs)} and was stopped at step "${step}".`);
  }
}

export class OutputTooLargeError extends SwitchboardError {
  readonly code = 'build_output_too_large';
  constructor(
    readonly step: string,
    readonly maxOutputBytes: number,
  ) {
    super(`The build printed more than its limit of ${maxOutputBytes} bytes of output at step "${step}" and was stopped.`);
  }
}

export class BuildCancelledError extends SwitchboardError {
  readonly code = 'build_cancelled';
  constructor(readonly step: string) {
    super(`The build was cancelled at step "${step}".`);
  }
}

/** The repository could not be fetched, or the ref is not in it. */
export class CheckoutFailedError extends SwitchboardError {
  readonly code = 'checkout_failed';
  constructor(
    readonly repository: string,
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`Could not check out ${ref} from ${repository}: ${reason}`);
  }
}

/** The commands finished but the configured output folder is missing or outside the checkout. */
export class ArtifactMissingError extends SwitchboardError {
  readonly code = 'artifact_missing';
  constructor(readonly outputDir: string) {
    super(`The build finished but its output folder "${outputDir}" was not there.`);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
