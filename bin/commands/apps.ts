import path from 'node:path';
import {
  addAppToCatalogFile,
  BUILD_PROVIDERS,
  DEPLOY_PROVIDERS,
  ENVIRONMENTS,
  isRemoteRepository,
  loadAppCatalog,
  removeAppFromCatalogFile,
  type App,
  type AppCatalog,
  type AppEntry,
  type DeployTarget,
  type Environment,
} from '../../tools/apps/index.js';
import { parseCommandArgs, UsageError, type CliCommand, type CliContext } from '../cli-context.js';

/**
 * `switchboard apps list|show|add|remove`: the app catalog is a file (APPS_FILE, or
 * DATA_DIR/apps.json), so these commands edit it directly, atomically, with no store and no
 * running service involved.
 */
export const appsCommand: CliCommand = {
  usage:
    'apps list [--json] | apps show <name> [--json] | apps add <name> [--alias <words>]… [--repo <url|path>] [--branch <name>] [--build "<command>"]… [--output <dir>] [--var <NAME>]… [--env <environment>=<provider>[:<setting>]]… [--health <environment>=<url|command>]… | apps remove <name>',
  summary: 'list, show, add or remove the apps Switchboard can build and deploy (the app catalog)',
  details: [
    'The catalog is the YAML or JSON file named by APPS_FILE; unset, it is DATA_DIR/apps.json, which `apps add`',
    'creates. Apps named only in APPS are listed too, with the sandbox providers. A running service follows',
    'the file: a change is used from the next message on (a file with a mistake is refused; the last good one stays).',
    '',
    'add options (repeat the ones marked …):',
    '  --alias <words>…          another name people use, e.g. --alias "the marketing site"',
    '  --repo <url|path>         the git repository (URL, or a local path)',
    '  --branch <name>           the default branch (main)',
    '  --build "<command>"…      a build command, run in order, e.g. --build "npm ci" --build "npm run build"',
    '  --output <dir>            the folder the build writes, e.g. dist',
    '  --var <NAME>…             an environment variable its build may see',
    `  --env <env>=<provider>…   env: ${ENVIRONMENTS.join(', ')}; provider: ${DEPLOY_PROVIDERS.join(', ')}, e.g.`,
    '                            production=local:/srv/web, staging=vercel:my-project, preview=sandbox',
    '  --health <env>=<check>…   a URL (http…) or a command that exits 0 when that environment is healthy',
    `  --build-provider <name>   ${BUILD_PROVIDERS.join(', ')} (default: local with a repo and commands, else sandbox)`,
    '  --workflow <file>         the GitHub Actions workflow to dispatch (github-actions builds)',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(this, rest, context);
    if (sub === 'show') return show(this, rest, context);
    if (sub === 'add') return add(this, rest, context);
    if (sub === 'remove') return remove(this, rest, context);
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};

function catalogOf(context: CliContext): AppCatalog {
  return loadAppCatalog(context.config, { allowMissingFile: true });
}

function list(command: CliCommand, args: string[], context: CliContext): number {
  const { values } = parseCommandArgs(command, args, { json: { type: 'boolean' } });
  const catalog = catalogOf(context);
  const apps = catalog.list();
  if (values.json) {
    context.stdout.write(`${JSON.stringify(apps)}\n`);
    return 0;
  }
  const rows = [
    ['NAME', 'ALIASES', ...ENVIRONMENTS.map((e) => e.toUpperCase()), 'FROM'],
    ...apps.map((app) => [app.name, app.aliases.join(', ') || '-', ...ENVIRONMENTS.map((e) => describeTarget(app.environments[e])), app.source === 'file' ? 'file' : 'APPS']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) context.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  context.stdout.write(`\n${whereFrom(catalog)}\n`);
  return 0;
}

function show(command: CliCommand, args: string[], context: CliContext): number {
  const { values, positionals } = parseCommandArgs(command, args, { json: { type: 'boolean' } }, { min: 1, max: 1 });
  const app = catalogOf(context).require(positionals[0]!);
  if (values.json) {
    context.stdout.write(`${JSON.stringify(app)}\n`);
    return 0;
  }
  const lines = [
    `name:        ${app.name}${app.source === 'APPS' ? '  (named in APPS only: sandbox everywhere)' : ''}`,
    `aliases:     ${app.aliases.join(', ') || '-'}`,
    `repository:  ${app.repository ?? '-'}`,
    `branch:      ${app.branch}`,
    `build:       ${app.build.provider}${app.build.workflow ? ` (workflow ${app.build.workflow})` : ''}, time limit ${app.build.timeoutSeconds} s`,
    ...app.build.commands.map((c, i) => `  ${i + 1}. ${c}`),
    `output:      ${app.build.output ?? '-'}`,
    `variables:   ${app.variables.join(', ') || '-'}`,
    ...ENVIRONMENTS.map((env) => {
      const target = app.environments[env];
      const check = target.healthCheck ? `, health ${'url' in target.healthCheck ? target.healthCheck.url : `\`${target.healthCheck.command}\``}` : '';
      const keep = target.provider === 'local' ? `, keeps ${target.keepReleases} releases` : '';
      return `${`${env}:`.padEnd(12)} ${describeTarget(target)}${keep}${check}`;
    }),
  ];
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function add(command: CliCommand, args: string[], context: CliContext): number {
  const { values, positionals } = parseCommandArgs(
    command,
    args,
    {
      alias: { type: 'string', multiple: true },
      repo: { type: 'string' },
      branch: { type: 'string' },
      build: { type: 'string', multiple: true },
      output: { type: 'string' },
      var: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      health: { type: 'string', multiple: true },
      'build-provider': { type: 'string' },
      workflow: { type: 'string' },
    },
    { min: 1, max: 1 },
  );
  const environments: Partial<Record<Environment, Record<string, unknown>>> = {};
  for (const spec of values.env ?? []) {
    const [env, target] = splitEnv(spec, '--env', 'production=local:/srv/web');
    environments[env] = parseTarget(target);
  }
  for (const spec of values.health ?? []) {
    const [env, check] = splitEnv(spec, '--health', 'production=https://example.com/health');
    environments[env] ??= { provider: 'sandbox' };
    environments[env].healthCheck = /^https?:\/\//i.test(check) ? { url: check } : { command: check };
  }
  const entry = {
    name: positionals[0]!,
    ...(values.alias ? { aliases: values.alias } : {}),
    // A local path is stored absolute: the catalog reads relative paths against its own folder.
    ...(values.repo ? { repository: isRemoteRepository(values.repo) ? values.repo : path.resolve(values.repo) } : {}),
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.build || values.output || values['build-provider'] || values.workflow
      ? {
          build: {
            ...(values['build-provider'] ? { provider: values['build-provider'] } : {}),
            ...(values.build ? { commands: values.build } : {}),
            ...(values.output ? { output: values.output } : {}),
            ...(values.workflow ? { workflow: values.workflow } : {}),
          },
        }
      : {}),
    ...(values.var ? { variables: values.var } : {}),
    ...(Object.keys(environments).length ? { environments } : {}),
  } as AppEntry; // validated as a whole, with per-field errors, before the file is written
  const catalog = catalogOf(context);
  const app = addAppToCatalogFile(catalog.file.path, entry);
  context.stdout.write(`Added ${app.name}: ${ENVIRONMENTS.map((e) => `${e} → ${describeTarget(app.environments[e])}`).join(', ')}.\n`);
  context.stdout.write(`${whereFrom(catalogOf(context))}\n${RESTART}\n`);
  return 0;
}

function remove(command: CliCommand, args: string[], context: CliContext): number {
  const { positionals } = parseCommandArgs(command, args, {}, { min: 1, max: 1 });
  const catalog = catalogOf(context);
  removeAppFromCatalogFile(catalog.file.path, positionals[0]!, context.config);
  context.stdout.write(`Removed ${positionals[0]} from ${relative(catalog.file.path)}.\n${RESTART}\n`);
  return 0;
}

const RESTART = 'A running service uses this change from its next message on.';

function splitEnv(spec: string, option: string, example: string): [Environment, string] {
  const at = spec.indexOf('=');
  const env = spec.slice(0, at) as Environment;
  if (at < 1 || !ENVIRONMENTS.includes(env)) {
    throw new UsageError(`${option} ${spec}: start with an environment (${ENVIRONMENTS.join(', ')}) and "=", e.g. ${option} ${example}`);
  }
  return [env, spec.slice(at + 1)];
}

/** `local:/srv/web`, `vercel:project`, `sandbox`: the provider, then its one main setting. */
function parseTarget(target: string): Record<string, unknown> {
  const colon = target.indexOf(':');
  const provider = colon < 0 ? target : target.slice(0, colon);
  const setting = colon < 0 ? '' : target.slice(colon + 1);
  if (provider === 'local') return { provider, ...(setting ? { path: path.resolve(setting) } : {}) };
  if (provider === 'vercel') return { provider, ...(setting ? { project: setting } : {}) };
  return { provider, ...(setting ? { setting } : {}) };
}

function describeTarget(target: DeployTarget): string {
  if (target.provider === 'local') return `local:${relative(target.path)}`;
  if (target.provider === 'vercel') return `vercel:${target.project}`;
  return 'sandbox';
}

function whereFrom(catalog: AppCatalog): string {
  const file = relative(catalog.file.path);
  const where = catalog.file.fromSetting ? `${file} (APPS_FILE)` : `${file} (the default place, DATA_DIR/apps.json, as APPS_FILE is unset)`;
  const fromApps = catalog.list().filter((app: App) => app.source === 'APPS').length;
  return [
    `Catalog: ${where}${catalog.file.exists ? '' : ', not created yet: `switchboard apps add` creates it'}.`,
    ...(catalog.file.fromSetting && !catalog.file.exists ? ['The service will not start until the file APPS_FILE names exists.'] : []),
    ...(fromApps > 0 ? [`${fromApps} app${fromApps === 1 ? '' : 's'} named only in APPS use the sandbox providers.`] : []),
  ].join('\n');
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel}` : file;
}
