import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import YAML from 'yaml';
import { AppCatalogEditError, AppCatalogError, UnknownAppError, type CatalogProblem } from './app-catalog-errors.js';
import {
  CatalogFileSchema,
  ENVIRONMENTS,
  FIELD_FIXES,
  type App,
  type AppEntry,
  type CatalogFile,
  type DeployTarget,
} from './app-schema.js';

/** Where the catalog comes from: the `appsFile` and `apps` parts of the config. */
export interface AppCatalogSource {
  appsFile: { path: string; fromSetting: boolean };
  /** Names from APPS; they become sandbox apps unless the file declares them. */
  apps: readonly string[];
  /** Whether APPS was set: when it was not and the file exists, the file alone names the apps. */
  appsFromSetting: boolean;
}

/**
 * The apps Switchboard can build and deploy: the catalog file (APPS_FILE, or DATA_DIR/apps.json)
 * merged with the names in APPS, the file winning. Apps known only by name get the `sandbox`
 * providers, so every flow can be tried without credentials.
 *
 * @example
 * const catalog = loadAppCatalog(config);
 * catalog.require('soarix-web').environments.production; // → { provider: 'local', path: '/srv/web', … }
 */
export class AppCatalog {
  private byName: Map<string, App>;
  private version: string | undefined;
  private checkedAt = 0;
  /** Why the last reload was refused (the file on disk has a mistake); the catalog before it stays in use. */
  lastReloadError: AppCatalogError | undefined;

  constructor(
    apps: readonly App[],
    /** The file edits go to, and whether it exists yet. */
    readonly file: { path: string; exists: boolean; fromSetting: boolean },
    /** Given: the catalog follows its file (`switchboard apps add`, `demo init`) without a restart. */
    private readonly source?: AppCatalogSource,
  ) {
    this.byName = new Map(apps.map((app) => [app.name, app]));
    this.version = fileVersion(file.path);
  }

  list(): App[] {
    this.refresh();
    return [...this.byName.values()];
  }

  names(): string[] {
    this.refresh();
    return [...this.byName.keys()];
  }

  get(name: string): App | undefined {
    this.refresh();
    return this.byName.get(name);
  }

  /** The app, or an UnknownAppError naming the known ones. */
  require(name: string): App {
    const app = this.get(name);
    if (!app) throw new UnknownAppError(name, this.names());
    return app;
  }

  /** Names and aliases, for the understanding's fuzzy app matching (intents `appNames`). */
  matchable(): { name: string; aliases: string[] }[] {
    return this.list().map((app) => ({ name: app.name, aliases: app.aliases }));
  }

  /**
   * Re-reads the file when it changed (its size and modification time), at most once a second: one
   * stat call, so every turn may ask. A file with a mistake is refused and the previous catalog stays.
   */
  private refresh(): void {
    if (!this.source) return;
    const now = Date.now();
    if (now - this.checkedAt < 1_000) return;
    this.checkedAt = now;
    const version = fileVersion(this.file.path);
    if (version === this.version) return;
    try {
      const fresh = loadAppCatalog(this.source, { allowMissingFile: true });
      this.byName = fresh.byName;
      (this.file as { exists: boolean }).exists = fresh.file.exists;
      this.version = version;
      this.lastReloadError = undefined;
    } catch (error) {
      if (!(error instanceof AppCatalogError)) throw error;
      this.lastReloadError = error;
      this.version = version;
    }
  }
}

function fileVersion(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * Reads and validates the catalog. A missing file is an error only when APPS_FILE names it (a
 * mistyped path must not silently leave the bot with no apps); the default DATA_DIR/apps.json
 * may be absent until `switchboard apps add` creates it.
 */
export function loadAppCatalog(source: AppCatalogSource, options: { allowMissingFile?: boolean; follow?: boolean } = {}): AppCatalog {
  const file = source.appsFile.path;
  const exists = existsSync(file);
  if (!exists && source.appsFile.fromSetting && !options.allowMissingFile) {
    throw new AppCatalogError(file, [
      {
        field: 'APPS_FILE',
        problem: 'the file does not exist',
        fix: 'create it (`switchboard apps add <name>` does), correct the path, or unset APPS_FILE',
      },
    ]);
  }
  const fromFile = exists ? validateCatalog(file, parseCatalogText(file, readFileSync(file, 'utf8'))) : [];
  const declared = new Set(fromFile.map((app) => app.name));
  // Without APPS set, its sample names would mix demo apps into a real catalog; they stand in only
  // while there is no file.
  const useNames = source.appsFromSetting || !exists;
  const fromNames = useNames ? source.apps.filter((name) => !declared.has(name)).map(sandboxApp) : [];
  return new AppCatalog([...fromFile, ...fromNames], { path: file, exists, fromSetting: source.appsFile.fromSetting }, options.follow ? source : undefined);
}

/** Validates catalog text (the parsed file) and returns its apps, resolved against the file's folder. */
export function validateCatalog(file: string, data: unknown): App[] {
  const parsed = CatalogFileSchema.safeParse(data ?? {});
  if (!parsed.success) throw new AppCatalogError(file, parsed.error.issues.map((issue) => describeIssue(issue, data)));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new AppCatalogError(file, problems);
  return parsed.data.apps.map((entry) => toApp(entry, path.dirname(file)));
}

// --- editing the file ---

/**
 * Adds an app to the catalog file, creating the file (and its folder) when needed. The whole
 * catalog is validated before anything is written, and the write is atomic (temp file + rename),
 * so a reader never sees half a file. YAML comments elsewhere in the file are kept.
 */
export function addAppToCatalogFile(file: string, entry: AppEntry): App {
  const document = readDocument(file);
  const current = appEntriesOf(file, document);
  if (current.some((app) => app.name === entry.name)) {
    throw new AppCatalogEditError(`${entry.name} is already in ${file}; remove it first (switchboard apps remove ${entry.name}) or edit the file.`);
  }
  // Write only what was given, so defaults can change later without rewriting everyone's file.
  const written = stripUndefined(entry);
  document.addIn(['apps'], document.createNode(written));
  const apps = validateCatalog(file, document.toJS());
  writeAtomically(file, serialise(file, document));
  return apps.find((app) => app.name === entry.name)!;
}

/** Removes an app from the catalog file; an app the file does not declare is an error naming why. */
export function removeAppFromCatalogFile(file: string, name: string, source?: AppCatalogSource): void {
  const document = readDocument(file);
  const index = appEntriesOf(file, document).findIndex((app) => app.name === name);
  if (index < 0) {
    if (source?.apps.includes(name) && source.appsFromSetting) {
      throw new AppCatalogEditError(`${name} is named in the APPS setting, not in ${file}; take it out of APPS (in .env or the environment).`);
    }
    if (source?.apps.includes(name) && !existsSync(file)) {
      throw new AppCatalogEditError(
        `${name} is one of the sample apps used while there is no catalog file and APPS is unset; it goes once the catalog has an app (switchboard apps add) or APPS is set.`,
      );
    }
    throw new UnknownAppError(name, appEntriesOf(file, document).map((app) => app.name));
  }
  document.deleteIn(['apps', index]);
  validateCatalog(file, document.toJS());
  writeAtomically(file, serialise(file, document));
}

function readDocument(file: string): YAML.Document {
  if (!existsSync(file)) return new YAML.Document({ apps: [] });
  const text = readFileSync(file, 'utf8');
  parseCatalogText(file, text); // a clear error for a file that is not JSON/YAML at all
  const document = YAML.parseDocument(text);
  if (!YAML.isMap(document.contents)) return new YAML.Document({ apps: [] });
  if (!document.has('apps')) document.set('apps', document.createNode([]));
  return document;
}

function appEntriesOf(file: string, document: YAML.Document): { name: string }[] {
  const js = document.toJS() as { apps?: unknown };
  if (!Array.isArray(js.apps)) throw new AppCatalogError(file, [{ field: 'apps', problem: 'must be a list', fix: FIELD_FIXES.apps! }]);
  return js.apps.filter((a): a is { name: string } => typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string');
}

function serialise(file: string, document: YAML.Document): string {
  if (isJson(file)) return `${JSON.stringify(document.toJS(), null, 2)}\n`;
  return document.toString();
}

/** Temp file in the same folder, then rename: rename within one file system replaces atomically. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o644 });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

// --- reading ---

const isJson = (file: string) => path.extname(file).toLowerCase() === '.json';

function parseCatalogText(file: string, text: string): unknown {
  try {
    // YAML is a superset of JSON, but JSON.parse gives the clearer error for a .json file.
    return isJson(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new AppCatalogError(
      file,
      [{ field: '(file)', problem: `it is not valid ${isJson(file) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, fix: 'correct the syntax at that place' }],
      { cause: error },
    );
  }
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): CatalogProblem {
  const field = fieldName(issue.path, data);
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string') ?? 'apps';
  let problem = issue.message;
  let fixKey = key === 'provider' && issue.path.includes('build') ? 'buildProvider' : key;
  if (issue.code === 'unrecognized_keys') {
    problem = `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    return { field, problem, fix: `remove ${issue.keys.length === 1 ? 'it' : 'them'} or check the spelling; known fields are listed in README, "Apps"` };
  }
  if (issue.code === 'invalid_union' && key === 'healthCheck') problem = 'must have either a url or a command';
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'provider') {
    const given = valueAt(data, issue.path.at(-1) === 'provider' ? issue.path : [...issue.path, 'provider']);
    problem = given === undefined ? 'a deploy target needs a provider' : `"${String(given)}" is not a deploy provider`;
    fixKey = 'provider';
  }
  if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) problem = 'is missing';
  return { field, problem: problem.replace(/^Invalid input: /, ''), fix: FIELD_FIXES[fixKey] ?? 'see README, "Apps"' };
}

/** `apps[0] (soarix-web).environments.production.provider`: the index for the file, the name for people. */
function fieldName(at: readonly PropertyKey[], data: unknown): string {
  let out = '';
  for (let i = 0; i < at.length; i++) {
    const part = at[i]!;
    if (typeof part === 'number') {
      out += `[${part}]`;
      const name = at[i - 1] === 'apps' ? (valueAt(data, [...at.slice(0, i + 1), 'name']) as unknown) : undefined;
      if (typeof name === 'string') out += ` (${name})`;
    } else out += `${out ? '.' : ''}${String(part)}`;
  }
  return out || 'apps';
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let value = data;
  for (const part of at) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Rules across apps: unique names, and no alias that could mean two apps. */
function crossCheck(catalog: CatalogFile): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const owner = new Map<string, string>();
  catalog.apps.forEach((app, index) => {
    for (const [i, said] of [app.name, ...app.aliases].entries()) {
      const key = compact(said);
      const other = owner.get(key);
      const field = i === 0 ? `apps[${index}] (${app.name}).name` : `apps[${index}] (${app.name}).aliases[${i - 1}]`;
      if (other !== undefined && other !== app.name) {
        problems.push({ field, problem: `"${said}" already names ${other}`, fix: 'give each app names and aliases of its own' });
      } else if (other === app.name && i === 0) {
        problems.push({ field, problem: `${app.name} is declared twice`, fix: 'keep one entry per app' });
      }
      owner.set(key, app.name);
    }
    if (app.build.provider === 'github-actions' && !app.repository?.match(/github\.com[/:]/)) {
      problems.push({
        field: `apps[${index}] (${app.name}).repository`,
        problem: 'the github-actions build needs a GitHub repository',
        fix: 'e.g. repository: https://github.com/acme/web.git',
      });
    }
  });
  return problems;
}

const compact = (value: string) => value.toLowerCase().replace(/^(the|our|a|an)\s+/, '').replace(/[^\p{L}\p{N}]+/gu, '');

function toApp(entry: CatalogFile['apps'][number], folder: string): App {
  const environments = Object.fromEntries(
    ENVIRONMENTS.map((env) => {
      const target = entry.environments[env] ?? { provider: 'sandbox' as const };
      return [env, target.provider === 'local' ? { ...target, path: path.resolve(folder, target.path) } : target];
    }),
  ) as Record<(typeof ENVIRONMENTS)[number], DeployTarget>;
  return {
    name: entry.name,
    aliases: entry.aliases,
    repository: entry.repository && !isRemoteRepository(entry.repository) ? path.resolve(folder, entry.repository) : entry.repository,
    branch: entry.branch,
    build: {
      provider: entry.build.provider ?? (entry.repository && entry.build.commands.length > 0 ? 'local' : 'sandbox'),
      commands: entry.build.commands,
      output: entry.build.output,
      timeoutSeconds: entry.build.timeoutSeconds,
      workflow: entry.build.workflow,
    },
    variables: entry.variables,
    environments,
    source: 'file',
    ...(entry.client ? { client: entry.client } : {}),
  };
}

/** URLs and scp-like `git@host:owner/repo` addresses are remote; anything else is a local path. */
export const isRemoteRepository = (repository: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(repository) || /^[^/\s]+@[^/\s]+:/.test(repository);

function sandboxApp(name: string): App {
  const sandbox: DeployTarget = { provider: 'sandbox' };
  return {
    name,
    aliases: [],
    repository: undefined,
    branch: 'main',
    build: { provider: 'sandbox', commands: [], output: undefined, timeoutSeconds: 600, workflow: undefined },
    variables: [],
    environments: { production: sandbox, staging: sandbox, preview: sandbox },
    source: 'APPS',
  };
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
