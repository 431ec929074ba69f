import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appNames, OfflineUnderstander } from '../../../intents/index.js';
import { loadAppCatalog } from '../../../tools/apps/index.js';
import { testConfig } from '../../support/test-config.js';

/**
 * With APPS unset, the embedded default's sample apps (soarix-web, marketing-site, landing-page,
 * client-portal, acme-shop) are what a newcomer's words are matched against: "the shop" is acme-shop,
 * the only app with that word; "the portal" and "the site" are generic and asked about.
 */
describe('app matching against the default sample apps', () => {
  const config = testConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sb-default-apps-')) });
  const catalog = loadAppCatalog(config, { allowMissingFile: true });
  const understander = OfflineUnderstander.train();
  const context = { now: Date.parse('2026-12-05T10:00:00Z'), timezone: 'UTC', apps: appNames(catalog.matchable()) };

  it('uses the sample apps', () => {
    expect(catalog.names()).toEqual(['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop']);
  });

  it.each([
    ['is anyone deploying the shop?', 'deploy.status', { app: 'acme-shop' }],
    ['build the shop', 'build.start', { app: 'acme-shop' }],
    ['deploy the site to staging', 'deploy.create', { env: 'staging' }],
  ])('%s', async (text, intent, slots) => {
    const understood = await understander.understand(text, context);
    expect(understood.intent).toBe(intent);
    expect(understood.slots).toEqual(slots);
  });
});
