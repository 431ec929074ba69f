export type {
  DeployProvider,
  DeployRequest,
  DeployResult,
  RollbackRequest,
  DeployTargetRef,
  LiveRelease,
  HealthCheck,
  DeployEnv,
  ProviderRunContext,
} from './deploy-provider.js';
export { createDeployProviders, type DeployProvidersOptions } from './create-deploy-providers.js';
export { LocalDeployProvider, LocalDeployTargetSchema, type LocalDeployTarget } from './local-deploy-provider.js';
export { VercelDeployProvider, VercelDeployTargetSchema, type VercelDeployTarget, type VercelDeployProviderOptions } from './vercel-deploy-provider.js';
export { SandboxDeployProvider, type SandboxDeployProviderOptions } from './sandbox-deploy-provider.js';
export {
  HealthCheckFailedError,
  DeployCancelledError,
  DeployFailedError,
  DeployTargetInvalidError,
  ArtifactRequiredError,
  ReleaseNotFoundError,
  RollbackRefusedError,
} from './deploy-errors.js';
export { runHealthCheck, DEFAULT_HEALTH_TIMEOUT_MS, type HealthOutcome } from './health-check.js';
export {
  deployJobHandler,
  rollbackJobHandler,
  recoverInterrupted,
  healthCheckOf,
  targetRef,
  type DeployProviders,
  type DeployJobParams,
  type DeployJobResult,
  type RollbackJobParams,
  type RollbackJobResult,
} from './deploy-job.js';
export { deployLockKey, liveFacts, type LiveFacts } from './release-facts.js';
export { createDeployAction, CreateDeployParamsSchema, type CreateDeployParams, type DeployActionDeps } from './create-deploy.js';
export { rollbackDeployAction, RollbackDeployParamsSchema, type RollbackDeployParams } from './rollback-deploy.js';
export { deployStatusAction, DeployStatusParamsSchema, type DeployStatusParams } from './deploy-status.js';
export { registerLocalSites, localSitePath } from './serve-local-sites.js';
