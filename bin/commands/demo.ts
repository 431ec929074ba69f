import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addAppToCatalogFile, loadAppCatalog, type App, type AppEntry } from '../../tools/apps/index.js';
import { localSitePath } from '../../tools/deploy/index.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

export const DEMO_APP = 'demo-site';

export interface DemoLayout {
  app: string;
  /** The sample app's git repository. */
  repository: string;
  /** Where each environment's releases go; `<sites>/<env>/current` is what is live. */
  sites: string;
  catalogFile: string;
  /** False when the app was already in the catalog (nothing was changed). */
  created: boolean;
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Switchboard demo site</title></head>
  <body>
    <h1>Hello from the Switchboard demo site</h1>
    <p>Built and deployed from chat.</p>
  </body>
</html>
`;

// The build: copy the site into dist/ and stamp it with the commit, so a deploy shows which version is live.
const BUILD_COMMANDS = ['rm -rf dist && mkdir -p dist && cp -R site/. dist/', 'git rev-parse --short HEAD > dist/version.txt'];

function git(cwd: string, ...args: string[]): string {
  // A fixed identity: the machine's git may have none, and the sample's history is the demo's own.
  return execFileSync('git', ['-c', 'user.name=Switchboard demo', '-c', 'user.email=demo@switchboard.invalid', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/**
 * Creates the sample app under `<dataDir>/demo` (a git repository with a static site and a build
 * command) and registers it in the app catalog with the `local` build provider and `local` deploy
 * targets for staging and production under `<dataDir>/demo/sites`. Running it again changes nothing.
 */
export function initDemo(options: { dataDir: string; catalogFile: string; name?: string }): DemoLayout {
  const app = options.name ?? DEMO_APP;
  const root = path.join(options.dataDir, 'demo');
  const repository = path.join(root, app);
  const sites = path.join(root, 'sites');
  if (!existsSync(path.join(repository, '.git'))) {
    mkdirSync(path.join(repository, 'site'), { recursive: true });
    writeFileSync(path.join(repository, 'site', 'index.html'), INDEX_HTML);
    writeFileSync(path.join(repository, '.gitignore'), 'dist/\n');
    writeFileSync(
      path.join(repository, 'README.md'),
      `# ${app}\n\nThe Switchboard demo app. Change site/index.html, commit, and say "build ${app}" and "deploy ${app} to staging".\n`,
    );
    git(repository, 'init', '-q');
    git(repository, 'add', '-A');
    git(repository, 'commit', '-q', '-m', 'The demo site');
  }
  mkdirSync(sites, { recursive: true });
  const catalog = loadAppCatalog({ appsFile: { path: options.catalogFile, fromSetting: false }, apps: [], appsFromSetting: false });
  if (catalog.file.exists && catalog.get(app)?.source === 'file') return { app, repository, sites, catalogFile: options.catalogFile, created: false };
  // Healthy when the release has its page: the check runs in the release folder once it is live.
  const healthCheck = { command: 'test -s index.html && test -s version.txt' };
  const entry: AppEntry = {
    name: app,
    aliases: ['demo app', 'the demo', 'demo site', 'sample app'],
    repository,
    branch: 'main',
    build: { provider: 'local', commands: BUILD_COMMANDS, output: 'dist', timeoutSeconds: 120 },
    environments: {
      staging: { provider: 'local', path: path.join(sites, 'staging'), keepReleases: 5, healthCheck },
      production: { provider: 'local', path: path.join(sites, 'production'), keepReleases: 5, healthCheck },
    },
  };
  addAppToCatalogFile(options.catalogFile, entry);
  return { app, repository, sites, catalogFile: options.catalogFile, created: true };
}

/**
 * What to type next, and where the deployed site is seen: the running service serves each local
 * target's `current` folder at `<serviceUrl>/sites/<app>/<env>/` (tools/deploy/serve-local-sites.ts).
 */
export function demoNextSteps(layout: DemoLayout, registered: App | undefined, serviceUrl?: string): string {
  const site = (env: string) => `${serviceUrl ?? 'http://127.0.0.1:3000'}${localSitePath(layout.app, env)}`;
  return [
    layout.created ? `Created the demo app ${layout.app}.` : `The demo app ${layout.app} is already set up; nothing was changed.`,
    `  repository: ${layout.repository} (a git repository; its build copies site/ to dist/ and stamps the commit)`,
    `  catalog:    ${layout.catalogFile}${registered ? ` (build: ${registered.build.provider}; staging and production: local)` : ''}`,
    `  served from: ${path.join(layout.sites, 'staging', 'current')} and ${path.join(layout.sites, 'production', 'current')}`,
    '',
    'Next:',
    '  1. Start the service if it is not running: npm start (a running one picks the app up by itself)',
    '  2. In the web chat, type:',
    `       build ${layout.app}`,
    `       deploy ${layout.app} to staging`,
    `       deploy ${layout.app} to production      (then type the CONFIRM phrase it shows)`,
    "       what's live?",
    `       roll back ${layout.app} on production`,
    '     Production needs an admin or an owner to type the phrase. Web chat visitors start as developers; the page',
    '     shows your id (webchat:web-…): make yourself admin with  npx switchboard users grant webchat:web-… admin',
    `  3. See it served by the running service: ${site('staging')} and ${site('production')}`,
    '     (the current folder of each environment; it changes in one atomic step on every deploy and rollback)',
    '',
  ].join('\n');
}

/** `switchboard demo init`: a sample app to build, deploy and roll back from the chat within a minute. */
export const demoCommand: CliCommand = {
  usage: 'demo init [--name <app>]',
  summary: 'create a sample app (a git repository with a static site) and register it with the local build and deploy providers',
  details: [
    'init             creates DATA_DIR/demo/<app> (default demo-site), adds it to the app catalog (APPS_FILE, or',
    '                 DATA_DIR/apps.json) with a local build and local deploys for staging and production into',
    '                 DATA_DIR/demo/sites/<environment>, and prints what to type next. Running it again changes nothing.',
    '--name <app>     another name for the sample app (lower-case letters, digits and dashes)',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub !== 'init') throw new UsageError(`usage: switchboard ${this.usage}`);
    const { values } = parseCommandArgs(this, rest, { name: { type: 'string' } });
    if (values.name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(values.name)) throw new UsageError('--name must be lower-case letters, digits and dashes, e.g. --name my-site');
    const { config } = context;
    const layout = initDemo({ dataDir: config.dataDir, catalogFile: config.appsFile.path, ...(values.name ? { name: values.name } : {}) });
    const registered = loadAppCatalog(config, { allowMissingFile: true }).get(layout.app);
    context.stdout.write(demoNextSteps(layout, registered, config.serviceUrl));
    return 0;
  },
};
