export { RdapClient, type RdapAnswer, type RdapClientOptions } from './rdap-client.js';
export { RdapBootstrap, SHIPPED_BOOTSTRAP, type RdapBootstrapFile, type RdapBootstrapOptions } from './rdap-bootstrap.js';
export { parseRdapDomain, type RdapDomainFacts } from './parse-rdap.js';
