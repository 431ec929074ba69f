import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf, SETTINGS } from '../../config/index.js';
import { ConfigError } from '../../core/errors.js';

describe('loadConfig', () => {
  it('starts with nothing set: the embedded default on 127.0.0.1:3000', () => {
    const config = loadConfig({}, '/srv/switchboard');
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', maxBodyBytes: 262_144 });
    expect(config.dataDir).toBe('/srv/switchboard/data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.serviceUrl).toBe('http://127.0.0.1:3000');
  });

  it('reads and converts every kind of value', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/sb',
      DATABASE_URL: 'postgres://sb:pw@db:5432/sb',
      REDIS_URL: 'redis://cache:6379',
      DEFAULT_TIMEZONE: 'Europe/London',
      SWITCHBOARD_API_TOKEN: 'a-long-enough-token-123',
    });
    expect(config.http.port).toBe(8080);
    expect(config.serviceUrl).toBe('http://127.0.0.1:8080');
    expect(config.databaseUrl).toBe('postgres://sb:pw@db:5432/sb');
    expect(config.defaultTimezone).toBe('Europe/London');
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }).http.port).toBe(3000);
  });

  it('stops with one message that lists every problem and how to fix it, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        REDIS_URL: 'localhost:6379',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        SWITCHBOARD_API_TOKEN: 'short',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems.map((p) => p.variable).sort()).toEqual(
      ['DATABASE_URL', 'DEFAULT_TIMEZONE', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'SWITCHBOARD_API_TOKEN'].sort(),
    );
    expect(configError.message).toMatch(/^Switchboard cannot start: 6 settings need fixing\./);
    expect(configError.message).toMatch(/DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\/\. Fix: a PostgreSQL URL/);
    expect(configError.message).toMatch(/DEFAULT_TIMEZONE: is not an IANA time zone\. Fix: an IANA time zone, e\.g\. DEFAULT_TIMEZONE=Europe\/London/);
    expect(configError.message).toMatch(/SWITCHBOARD_API_TOKEN: must be at least 16 characters/);
    expect(configError.message).not.toContain('hunter2');
    expect(configError.message).not.toContain('short');
  });

  it('starts a channel only with all of its credentials, and says which are missing', () => {
    expect(loadConfig({}).slack).toBeUndefined();
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-123-456-abc' })).toThrow(/SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set/);
    let error: ConfigError | undefined;
    try {
      loadConfig({ WHATSAPP_ACCESS_TOKEN: 'EAAG-some-token' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => p.variable)).toEqual(['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID']);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' })).toThrow(/TELEGRAM_WEBHOOK_SECRET: is required for TELEGRAM_MODE=webhook/);
    const polling = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_MODE: 'polling' });
    expect(polling.telegram).toEqual({ botToken: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', webhookSecret: undefined, apiRoot: undefined, mode: 'polling' });
  });

  it('knows which values are secrets', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://sb:p%40ss@db/sb', SWITCHBOARD_API_TOKEN: 'a-long-enough-token-123' });
    expect(secretsOf(config).filter(Boolean).sort()).toEqual(['a-long-enough-token-123', 'p@ss']);
  });

  it('lists every setting in .env.example with a comment', () => {
    const example = readFileSync(path.join(import.meta.dirname, '../../.env.example'), 'utf8');
    for (const name of Object.keys(SETTINGS)) {
      const line = example.split('\n').findIndex((l) => l.replace(/^#\s*/, '').startsWith(`${name}=`));
      expect(line, `${name} is missing from .env.example`).toBeGreaterThan(0);
      expect(example.split('\n')[line - 1], `${name} needs a comment line above it`).toMatch(/^#/);
    }
  });
});
