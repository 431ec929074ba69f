export { VercelFake, FAKE_VERCEL_TOKEN, type VercelScript, type FakeDeployment, type RecordedVercelRequest } from './vercel-fake.js';
