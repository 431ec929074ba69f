import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAppToCatalogFile, loadAppCatalog, type AppCatalogSource } from '../../../tools/apps/index.js';

const source = (file: string): AppCatalogSource => ({ appsFile: { path: file, fromSetting: true }, apps: [], appsFromSetting: false });
const afterTheThrottle = () => new Promise((resolve) => setTimeout(resolve, 1_100));

describe('a catalog that follows its file (the service)', () => {
  it('sees an app added by another process without a restart, and keeps the last good catalog when the file is broken', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-catalog-')), 'apps.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'soarix-web' }] }));
    const catalog = loadAppCatalog(source(file), { follow: true });
    expect(catalog.names()).toEqual(['soarix-web']);

    addAppToCatalogFile(file, { name: 'demo-site', aliases: ['the demo'] });
    await afterTheThrottle();
    expect(catalog.names()).toEqual(['soarix-web', 'demo-site']);
    expect(catalog.require('demo-site').aliases).toEqual(['the demo']);

    writeFileSync(file, JSON.stringify({ apps: [{ name: 'Not A Name' }] }));
    await afterTheThrottle();
    expect(catalog.names()).toEqual(['soarix-web', 'demo-site']);
    expect(catalog.lastReloadError?.message).toMatch(/name/);
  });

  it('stays as loaded when it is not asked to follow (the CLI reads once)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-catalog-')), 'apps.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'soarix-web' }] }));
    const catalog = loadAppCatalog(source(file));
    addAppToCatalogFile(file, { name: 'demo-site' });
    await afterTheThrottle();
    expect(catalog.names()).toEqual(['soarix-web']);
  });
});
