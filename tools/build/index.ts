export type { BuildProvider, BuildRequest, BuildResult, ProviderRunContext } from './build-provider.js';
export { createBuildProviders, type BuildProvidersOptions } from './create-build-providers.js';
export { LocalBuildProvider, hideCredentials, type LocalBuildProviderOptions } from './local-build-provider.js';
export {
  GitHubActionsBuildProvider,
  parseGitHubRepository,
  toProviderError as toGitHubProviderError,
  type GitHubActionsBuildProviderOptions,
} from './github-actions-build-provider.js';
export { SandboxBuildProvider, type SandboxBuildProviderOptions } from './sandbox-build-provider.js';
export { MemorySandboxStore, JsonFileSandboxStore, abortableDelay, type SandboxStore } from './sandbox-store.js';
export {
  BuildFailedError,
  BuildTimeoutError,
  BuildCancelledError,
  OutputTooLargeError,
  CheckoutFailedError,
  ArtifactMissingError,
  formatMs,
} from './build-errors.js';
export {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  ProviderNotConfiguredError,
} from './provider-errors.js';
export { runCommand, minimalEnv, type CommandOutcome, type RunCommandOptions } from './run-command.js';
