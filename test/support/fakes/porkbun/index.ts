export { PorkbunFake, FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, type FakePrice, type RecordedPorkbunRequest } from './porkbun-fake.js';
