// What code outside test/ (the benchmarks in bench/) uses of the test harnesses. Tests import the files directly.
export { spawnService, tempDataDir, type SpawnedService } from './spawn-service.js';
export { childPids, freePort, startPrivatePostgres, startPrivateRedis, type PrivateServer } from './private-servers.js';
