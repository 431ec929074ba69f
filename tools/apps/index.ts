export { AppCatalog, loadAppCatalog, addAppToCatalogFile, removeAppFromCatalogFile, validateCatalog, isRemoteRepository, writeAtomically, type AppCatalogSource } from './app-catalog.js';
export {
  ENVIRONMENTS,
  DEPLOY_PROVIDERS,
  BUILD_PROVIDERS,
  AppEntrySchema,
  CatalogFileSchema,
  DeployTargetSchema,
  HealthCheckSchema,
  DomainTargetSchema,
  type App,
  type AppEntry,
  type DeployTarget,
  type HealthCheck,
  type DomainTarget,
  type Environment,
  type DeployProvider,
  type BuildProvider,
} from './app-schema.js';
export { AppCatalogError, UnknownAppError, AppCatalogEditError, type CatalogProblem } from './app-catalog-errors.js';
