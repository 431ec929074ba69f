import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { ConfigError } from '../../core/index.js';

// Finding 11 of issue 9: an exposed HOST must not hand every web chat visitor a staff role.
describe('the default role of a web chat visitor', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    'is developer when HOST=%s only lets this machine in',
    (host) => {
      expect(loadConfig({ HOST: host }).agent.webchatDefaultRole).toBe('developer');
    },
  );

  it.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'switchboard.example.com', '128.0.0.1'])(
    'is unknown (pairing first) when HOST=%s can be reached from elsewhere',
    (host) => {
      expect(loadConfig({ HOST: host }).agent.webchatDefaultRole).toBe('unknown');
    },
  );

  it('is what WEBCHAT_DEFAULT_ROLE says when it is set, on any HOST', () => {
    expect(loadConfig({ HOST: '0.0.0.0', WEBCHAT_DEFAULT_ROLE: 'client' }).agent.webchatDefaultRole).toBe('client');
    expect(loadConfig({ HOST: '0.0.0.0', WEBCHAT_DEFAULT_ROLE: 'developer' }).agent.webchatDefaultRole).toBe('developer');
    expect(loadConfig({ HOST: '127.0.0.1', WEBCHAT_DEFAULT_ROLE: 'unknown' }).agent.webchatDefaultRole).toBe('unknown');
  });

  it('treats an empty WEBCHAT_DEFAULT_ROLE (as a copied .env.example leaves it) as unset', () => {
    expect(loadConfig({ HOST: '0.0.0.0', WEBCHAT_DEFAULT_ROLE: '' }).agent.webchatDefaultRole).toBe('unknown');
  });

  it('refuses a value that is not a role, naming the roles', () => {
    let error: unknown;
    try {
      loadConfig({ HOST: '0.0.0.0', WEBCHAT_DEFAULT_ROLE: 'superuser' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/WEBCHAT_DEFAULT_ROLE: .*one of owner, admin, developer, sales, client, unknown/);
  });

  it('docker-compose.yml exposes HOST=0.0.0.0 and sets no web chat role, so visitors pair first', () => {
    const compose = readFileSync(path.join(import.meta.dirname, '../../docker-compose.yml'), 'utf8');
    const live = compose.split('\n').filter((line) => !/^\s*#/.test(line));
    expect(live.some((line) => /^\s*HOST:\s*0\.0\.0\.0\s*$/.test(line))).toBe(true);
    expect(live.filter((line) => line.includes('WEBCHAT_DEFAULT_ROLE'))).toEqual([]);
    const example = readFileSync(path.join(import.meta.dirname, '../../.env.example'), 'utf8');
    // .env.example is what people copy to .env, which docker-compose reads: it must leave the role unset.
    expect(example).toMatch(/^WEBCHAT_DEFAULT_ROLE=$/m);
  });
});
