export { CloudflareFake, FAKE_CLOUDFLARE_TOKEN, type FakeCfRecord, type RecordedCloudflareRequest } from './cloudflare-fake.js';
