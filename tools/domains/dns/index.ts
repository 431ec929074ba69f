export { createDnsProvider, type DnsSetup } from './create-dns-provider.js';
export { addDnsRecordAction, AddDnsRecordParamsSchema, type AddDnsRecordParams } from './add-dns-record.js';
export { deleteDnsRecordAction, DeleteDnsRecordParamsSchema, type DeleteDnsRecordParams } from './delete-dns-record.js';
export { CloudflareDnsProvider, DnsRecordExistsError, type CloudflareDnsOptions } from './cloudflare-dns-provider.js';
export { SandboxDnsProvider } from './sandbox-dns-provider.js';
export { SandboxNameServer, SandboxDnsPortInUseError, type SandboxNameServerOptions } from './sandbox-name-server.js';
export {
  checkRecord,
  checkType,
  recordFullName,
  placeRecord,
  describeRecord,
  sameRecord,
  comparableContent,
  txtStrings,
  canonicalName,
  isHostName,
  sayName,
  MANAGED_TYPES,
  DEFAULT_TTL,
  MIN_TTL,
  MAX_TTL,
  type Checked,
  type CheckedRecord,
  type Placement,
  type RecordRequest,
} from './validate-record.js';
