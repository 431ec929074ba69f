export { RdapFake, type FakeRegistration, type RecordedRdapRequest } from './rdap-fake.js';
