export { GitHubFake, FAKE_GITHUB_TOKEN, type FakeWorkflow, type RunScript, type FakeRun, type RecordedGitHubRequest } from './github-fake.js';
