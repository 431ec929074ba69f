import { SwitchboardError } from '../../core/index.js';

/**
 * The new release failed its health check. `rolledBack` says the failed release is no longer live:
 * `restored` went live again, or (first deploy) nothing is live.
 */
export class HealthCheckFailedError extends SwitchboardError {
  readonly code = 'health_check_failed';
  readonly rolledBack = true as const;
  constructor(
    readonly releaseId: string,
    readonly reason: string,
    readonly restored: string | undefined,
  ) {
    super(
      `The new release failed its health check (${reason}), so it was taken down` +
        (restored ? ` and ${restored} is live again.` : '; nothing was live before it, so nothing is live now.'),
    );
  }
}

export class DeployCancelledError extends SwitchboardError {
  readonly code = 'deploy_cancelled';
  constructor(
    readonly step: string,
    readonly restored?: string,
  ) {
    super(`The deploy was cancelled at step "${step}"${restored ? `; ${restored} is live as before` : ''}.`);
  }
}

/** The hosted platform finished the deployment in an error state. */
export class DeployFailedError extends SwitchboardError {
  readonly code = 'deploy_failed';
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly url?: string,
  ) {
    super(`The deploy failed at step "${step}": ${reason}${url ? ` (see ${url})` : ''}.`);
  }
}

/** The deploy target in the app catalog is missing a setting or has a wrong one. */
export class DeployTargetInvalidError extends SwitchboardError {
  readonly code = 'deploy_target_invalid';
  override readonly status = 400;
  constructor(
    readonly app: string,
    readonly env: string,
    readonly problem: string,
  ) {
    super(`The ${env} deploy target of ${app} is not set up right: ${problem}.`);
  }
}

/** Nothing to deploy: the build left no artifact for a provider that needs one. */
export class ArtifactRequiredError extends SwitchboardError {
  readonly code = 'artifact_required';
  override readonly status = 400;
  constructor(readonly app: string) {
    super(`There is no stored build output to deploy for ${app}; build it first.`);
  }
}

export class ReleaseNotFoundError extends SwitchboardError {
  readonly code = 'release_not_found';
  override readonly status = 404;
  constructor(
    readonly app: string,
    readonly env: string,
    readonly release: string,
  ) {
    super(`There is no release ${release} of ${app} on ${env}.`);
  }
}

/** A rollback that cannot be done: no earlier good release, or the named one failed its check. */
export class RollbackRefusedError extends SwitchboardError {
  readonly code = 'rollback_refused';
  override readonly status = 409;
  constructor(readonly reason: string) {
    super(`Cannot roll back: ${reason}.`);
  }
}
