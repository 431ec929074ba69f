import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnService, tempDataDir, type SpawnedService } from '../support/spawn-service.js';

// A store command that opens the embedded database itself says which folder it opened, so a change
// made while the service runs on another DATA_DIR does not seem to vanish.
describe('a store command run without a service on its data folder', () => {
  let service: SpawnedService | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('names the folder it opened', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(['users', 'list'], { DATA_DIR: dataDir, SWITCHBOARD_URL: 'http://127.0.0.1:9' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('No people yet.\n');
    expect(result.stderr).toBe(`using the embedded database in ${path.join(dataDir, 'pg')} (no service is running on it)\n`);
  });

  it('says so when a service is running on another folder', async () => {
    service = await spawnService({ DATA_DIR: tempDataDir() });
    const other = tempDataDir();
    const result = await runCli(['users', 'grant', 'webchat:ana', 'developer'], { DATA_DIR: other, SWITCHBOARD_URL: service.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('webchat:ana is now developer\n');
    expect(result.stderr).toBe(
      `using the embedded database in ${path.join(other, 'pg')} (no service is running on it; the service at ${service.url} uses another data folder)\n`,
    );
  });
});
