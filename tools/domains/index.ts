export type { DomainQuote, Registration, Registrar, DnsRecordType, DnsRecord, NewDnsRecord, DnsZone, DnsProvider } from './ports.js';
export { DomainProviderError, type DomainErrorCode } from './domain-errors.js';
export * from './dns/index.js';
export { mapDomainAction, MapDomainParamsSchema, type MapDomainParams, type MapDomainDeps } from './map-domain.js';
export { verifyDomainAction, VerifyDomainParamsSchema, type VerifyDomainParams, type VerifyDomainDeps } from './verify-domain.js';
export {
  domainWatchHandler,
  continueWatch,
  startWatch,
  checkMapping,
  WATCH_KIND,
  DomainNotSeenError,
  type WatchSettings,
  type DomainWatchDeps,
  type DomainWatchParams,
  type DomainWatchResult,
} from './watch-domain.js';
export { nameServersToAsk, checkRecords, describeMissing, seenOnText, type NameServer } from './check-name-servers.js';
export { domainTargetOf, appRecords, tokenRecordName, normaliseDomain, VERCEL_CNAME, VERCEL_APEX_A, LOCAL_ADDRESS } from './domain-target.js';
export { parseDomainName, showDomain, type DomainName, type ParsedDomain } from './domain-name.js';
export { money, describePrice } from './domain-words.js';
export { checkDomainAction, CheckDomainParamsSchema, domainLikeWord, type CheckDomainParams, type DomainActionDeps } from './check-domain.js';
export { registerDomainAction, RegisterDomainParamsSchema, type RegisterDomainParams, type RegisterDomainDeps } from './register-domain.js';
export { RdapClient, RdapBootstrap, SHIPPED_BOOTSTRAP, parseRdapDomain, type RdapAnswer, type RdapDomainFacts } from './rdap/index.js';
export { createRegistrar, PorkbunRegistrar, SandboxRegistrar, SANDBOX_TAKEN, sandboxPrice, type RegistrarConfig } from './registrar/index.js';
