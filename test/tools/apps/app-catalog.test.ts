import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';
import {
  addAppToCatalogFile,
  AppCatalogEditError,
  AppCatalogError,
  loadAppCatalog,
  removeAppFromCatalogFile,
  UnknownAppError,
  type AppCatalogSource,
} from '../../../tools/apps/index.js';

const folder = () => mkdtempSync(path.join(os.tmpdir(), 'sb-apps-'));

function source(file: string, apps: string[] = [], fromSetting = true, appsFromSetting = apps.length > 0): AppCatalogSource {
  return { appsFile: { path: file, fromSetting }, apps, appsFromSetting };
}

function problemsOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppCatalogError);
    expect((error as AppCatalogError).code).toBe('app_catalog_invalid');
    return (error as Error).message;
  }
  throw new Error('expected an AppCatalogError');
}

const YAML_CATALOG = `# the agency's apps
apps:
  - name: soarix-web
    aliases: [the marketing site, soarix]
    repository: ./repos/soarix-web
    branch: trunk
    build:
      commands: [npm ci, npm run build]
      output: dist
    variables: [NODE_ENV, PUBLIC_API_URL]
    environments:
      production:
        provider: local
        path: ./srv/soarix-web
        healthCheck: { url: http://127.0.0.1:8080/health }
      staging:
        provider: vercel
        project: soarix-web
        healthCheck: { command: curl -f http://127.0.0.1:8081 }
  - name: api
    repository: git@github.com:acme/api.git
    build: { provider: github-actions, workflow: build.yml }
`;

describe('loadAppCatalog', () => {
  it('reads a YAML catalog, fills defaults, gives missing environments the sandbox, resolves paths against the file', () => {
    const dir = folder();
    const file = path.join(dir, 'apps.yaml');
    writeFileSync(file, YAML_CATALOG);
    const catalog = loadAppCatalog(source(file));
    expect(catalog.names()).toEqual(['soarix-web', 'api']);
    const web = catalog.require('soarix-web');
    expect(web).toMatchObject({
      aliases: ['the marketing site', 'soarix'],
      repository: path.join(dir, 'repos/soarix-web'),
      branch: 'trunk',
      build: { provider: 'local', commands: ['npm ci', 'npm run build'], output: 'dist', timeoutSeconds: 600 },
      variables: ['NODE_ENV', 'PUBLIC_API_URL'],
      source: 'file',
    });
    expect(web.environments.production).toEqual({
      provider: 'local',
      path: path.join(dir, 'srv/soarix-web'),
      keepReleases: 5,
      healthCheck: { url: 'http://127.0.0.1:8080/health' },
    });
    expect(web.environments.staging).toMatchObject({ provider: 'vercel', project: 'soarix-web' });
    expect(web.environments.preview).toEqual({ provider: 'sandbox' });
    const api = catalog.require('api');
    expect(api.repository).toBe('git@github.com:acme/api.git');
    expect(api.branch).toBe('main');
    expect(api.build).toMatchObject({ provider: 'github-actions', workflow: 'build.yml' });
    expect(catalog.matchable()).toEqual([
      { name: 'soarix-web', aliases: ['the marketing site', 'soarix'] },
      { name: 'api', aliases: [] },
    ]);
  });

  it('reads JSON the same way', () => {
    const file = path.join(folder(), 'apps.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'shop', environments: { production: { provider: 'vercel', project: 'shop' } } }] }));
    expect(loadAppCatalog(source(file)).require('shop').environments.production).toEqual({ provider: 'vercel', project: 'shop' });
  });

  it('merges APPS: names the file lacks become sandbox apps, and the file wins on a shared name', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(file, YAML_CATALOG);
    const catalog = loadAppCatalog(source(file, ['soarix-web', 'landing-page']));
    expect(catalog.names()).toEqual(['soarix-web', 'api', 'landing-page']);
    expect(catalog.require('soarix-web').source).toBe('file');
    expect(catalog.require('landing-page')).toMatchObject({
      source: 'APPS',
      build: { provider: 'sandbox' },
      environments: { production: { provider: 'sandbox' }, staging: { provider: 'sandbox' }, preview: { provider: 'sandbox' } },
    });
  });

  it('uses the APPS sample names only while there is no file, unless APPS was set', () => {
    const dir = folder();
    const file = path.join(dir, 'apps.json');
    expect(loadAppCatalog(source(file, ['soarix-web', 'acme-shop'], false, false)).names()).toEqual(['soarix-web', 'acme-shop']);
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'shop' }] }));
    expect(loadAppCatalog(source(file, ['soarix-web', 'acme-shop'], false, false)).names()).toEqual(['shop']);
    expect(loadAppCatalog(source(file, ['soarix-web'], false, true)).names()).toEqual(['shop', 'soarix-web']);
  });

  it('follows the config: APPS_FILE, or DATA_DIR/apps.json when unset', () => {
    const dir = folder();
    const byDefault = loadConfig({ DATA_DIR: 'data' }, dir);
    expect(byDefault.appsFile).toEqual({ path: path.join(dir, 'data/apps.json'), fromSetting: false });
    expect(byDefault.appsFromSetting).toBe(false);
    const named = loadConfig({ APPS_FILE: 'conf/apps.yaml', APPS: 'a,b' }, dir);
    expect(named.appsFile).toEqual({ path: path.join(dir, 'conf/apps.yaml'), fromSetting: true });
    expect(loadAppCatalog(named, { allowMissingFile: true }).names()).toEqual(['a', 'b']);
  });

  it('refuses a missing file that APPS_FILE names, saying how to fix it', () => {
    const file = path.join(folder(), 'typo.yaml');
    const message = problemsOf(() => loadAppCatalog(source(file)));
    expect(message).toContain(`The app catalog ${file} has 1 problem:`);
    expect(message).toMatch(/APPS_FILE: the file does not exist\. Fix: create it \(`switchboard apps add <name>` does\)/);
  });

  it('names the file, each field at fault (with the app) and its fix', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(
      file,
      `apps:
  - name: soarix-web
    variables: [NODE_ENV, bad-name]
    environments:
      production: { provider: netlify }
      staging: { provider: local }
      preview: { provider: sandbox, healthCheck: { ping: yes } }
    build: { provider: github-actions }
  - name: Shop
    colour: red
`,
    );
    const message = problemsOf(() => loadAppCatalog(source(file)));
    expect(message).toContain(`The app catalog ${file} has`);
    expect(message).toContain('apps[0] (soarix-web).variables[1]: must be an environment variable name such as NODE_ENV. Fix: a list of variable names');
    expect(message).toContain('apps[0] (soarix-web).environments.production.provider: "netlify" is not a deploy provider. Fix: one of local, vercel, sandbox');
    expect(message).toContain('apps[0] (soarix-web).environments.staging.path: is missing. Fix: the folder releases go to');
    expect(message).toContain('apps[0] (soarix-web).environments.preview.healthCheck: must have either a url or a command');
    expect(message).toContain('apps[0] (soarix-web).build.workflow: the github-actions build needs a workflow. Fix: the workflow file to dispatch');
    expect(message).toContain('apps[1] (Shop).name: must be lower-case letters, digits and dashes. Fix: a lower-case name with dashes');
    expect(message).toContain('apps[1] (Shop): unknown field colour');
  });

  it('refuses a name declared twice and an alias that could mean two apps', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(file, 'apps:\n  - { name: web, aliases: [the marketing site] }\n  - { name: shop, aliases: [Marketing-Site] }\n  - { name: web }\n');
    const message = problemsOf(() => loadAppCatalog(source(file)));
    expect(message).toContain('apps[1] (shop).aliases[0]: "Marketing-Site" already names web');
    expect(message).toContain('apps[2] (web).name: web is declared twice');
  });

  it('says where the syntax is broken', () => {
    const file = path.join(folder(), 'apps.json');
    writeFileSync(file, '{"apps": [');
    expect(problemsOf(() => loadAppCatalog(source(file)))).toMatch(/\(file\): it is not valid JSON: .*Fix: correct the syntax/);
  });
});

describe('editing the catalog file', () => {
  it('creates the file and its folder, validates, and leaves no temp file behind', () => {
    const dir = folder();
    const file = path.join(dir, 'data/apps.json');
    const app = addAppToCatalogFile(file, { name: 'shop', aliases: ['the shop'], environments: { production: { provider: 'local', path: '/srv/shop' } } });
    expect(app).toMatchObject({ name: 'shop', environments: { production: { provider: 'local', path: '/srv/shop', keepReleases: 5 } } });
    // Only what was given is written, so defaults stay the program's to change.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      apps: [{ name: 'shop', aliases: ['the shop'], environments: { production: { provider: 'local', path: '/srv/shop' } } }],
    });
    expect(readdirSync(path.dirname(file))).toEqual(['apps.json']);
    expect(loadAppCatalog(source(file)).names()).toEqual(['shop']);
  });

  it('keeps the comments of a YAML catalog', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(file, YAML_CATALOG);
    addAppToCatalogFile(file, { name: 'shop' });
    removeAppFromCatalogFile(file, 'api');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("# the agency's apps");
    expect(loadAppCatalog(source(file)).names()).toEqual(['soarix-web', 'shop']);
  });

  it('writes nothing when the result would be invalid', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(file, YAML_CATALOG);
    expect(() => addAppToCatalogFile(file, { name: 'shop', aliases: ['soarix'] })).toThrow(/"soarix" already names soarix-web/);
    expect(() => addAppToCatalogFile(file, { name: 'soarix-web' })).toThrow(AppCatalogEditError);
    expect(readFileSync(file, 'utf8')).toBe(YAML_CATALOG);
  });

  it('refuses to remove an unknown app, or one that only APPS names, with a sentence saying why', () => {
    const file = path.join(folder(), 'apps.yaml');
    writeFileSync(file, YAML_CATALOG);
    expect(() => removeAppFromCatalogFile(file, 'blog')).toThrow(UnknownAppError);
    expect(() => removeAppFromCatalogFile(file, 'blog')).toThrow('There is no app called "blog". Known apps: soarix-web, api.');
    expect(() => removeAppFromCatalogFile(file, 'landing-page', source(file, ['landing-page']))).toThrow(
      /landing-page is named in the APPS setting, not in .*apps\.yaml; take it out of APPS/,
    );
    expect(readFileSync(file, 'utf8')).toBe(YAML_CATALOG);
  });
});
