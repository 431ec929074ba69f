import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../../../config/index.js';
import { ConfigError } from '../../../core/index.js';

const keys = { PORKBUN_API_KEY: 'pk1_0123456789abcdef', PORKBUN_SECRET_KEY: 'sk1_0123456789abcdef' };

describe('REGISTRAR and the RDAP settings', () => {
  it('default: the sandbox registrar and IANA\'s bootstrap; both Porkbun keys: Porkbun, and its keys are secrets', () => {
    const sandbox = loadConfig({});
    expect(sandbox.registrar).toEqual({ kind: 'sandbox' });
    expect(sandbox.rdap).toEqual({ bootstrapUrl: 'https://data.iana.org/rdap/dns.json', url: undefined });
    const porkbun = loadConfig(keys);
    expect(porkbun.registrar).toEqual({ kind: 'porkbun', apiUrl: 'https://api.porkbun.com/api/json/v3', apiKey: keys.PORKBUN_API_KEY, secretKey: keys.PORKBUN_SECRET_KEY, orderTimeoutMs: 60_000 });
    expect(secretsOf(porkbun)).toEqual(expect.arrayContaining([keys.PORKBUN_API_KEY, keys.PORKBUN_SECRET_KEY]));
    expect(loadConfig({ ...keys, REGISTRAR: 'sandbox' }).registrar).toEqual({ kind: 'sandbox' });
  });

  it('Porkbun needs both keys: one alone, or REGISTRAR=porkbun without them, stops the start with the fix', () => {
    expect(() => loadConfig({ PORKBUN_API_KEY: keys.PORKBUN_API_KEY })).toThrow(/PORKBUN_SECRET_KEY: is required when REGISTRAR=porkbun or the other Porkbun key is set/);
    const error = (() => {
      try {
        loadConfig({ REGISTRAR: 'porkbun' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems.map((p) => p.variable)).toEqual(['PORKBUN_API_KEY', 'PORKBUN_SECRET_KEY']);
  });
});
