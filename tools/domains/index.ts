export type { DomainQuote, Registration, Registrar, DnsRecordType, DnsRecord, NewDnsRecord, DnsZone, DnsProvider } from './ports.js';
export { DomainProviderError, type DomainErrorCode } from './domain-errors.js';
