import { loadConfig, type Config } from '../../config/index.js';

/** A valid config for tests, from the same loader the service uses, with overrides as env variables. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
}
