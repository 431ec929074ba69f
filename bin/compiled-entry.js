// The compiled CLI: the TypeScript sources turned into JavaScript once by esbuild and kept in a build
// cache, so a start does not send every module (node_modules included) through tsx's loader hooks,
// which run on their own thread in Node 20. Measured on `switchboard serve` with PostgreSQL + Redis:
// about 1.3 s of a 2.2 s start was module loading through the hooks.
//
// Plain JavaScript on purpose: it runs before any TypeScript loader is registered.
//
// - The build lives in node_modules/.cache/switchboard/<key>/. SWITCHBOARD_BUILD_CACHE_DIR moves the
//   cache folder, for the tests; it must lie inside the project, where the build finds node_modules.
//   The key is a hash of every source file's path, mtime and size, plus esbuild's and Node's versions:
//   an edited file gives a new key, so a developer always runs their code.
// - No bundling: one .js (and its source map) per .ts, at the same relative path, and every other file
//   of the source folders copied beside them, so a module that reads a file next to itself
//   (import.meta.url, import.meta.dirname: the web chat's page, knowledge/sample, the RDAP bootstrap)
//   finds it there.
// - A build is written into a temporary sibling folder, marked complete by a file written last, then
//   renamed into place in one step. Processes starting at once may each build; the first rename wins
//   and the others throw their copy away and use the winner's.
// - Anything that stops the build (a read-only tree, esbuild missing, a compile error) makes the caller
//   run the sources through tsx as before. Only a compile error, or a build whose CLI fails to load, is
//   reported (one line on stderr); a tree that cannot be written is the normal case of some installs.
// - SWITCHBOARD_NO_BUILD_CACHE=1 skips the cache (always tsx).
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The folders the service runs from (tsconfig.json's include, less test, bench and scripts). A new
 * top-level source folder must be added here, or the compiled CLI will not find its modules (the
 * test in test/bin/compiled-entry.test.ts compares this list with tsconfig.json).
 */
export const SOURCE_FOLDERS = ['bin', 'bot', 'channels', 'flows', 'tools', 'intents', 'knowledge', 'config', 'store', 'core', 'voice'];

/** Files outside those folders that change what esbuild emits. */
const BUILD_INPUTS = ['package.json', 'tsconfig.json'];

/** Written last into a build: a folder without it is incomplete and never used. */
export const MARKER = 'build-complete.json';

/** Builds kept, the one in use included (the most recently used); older ones are removed. */
const KEEP_BUILDS = 3;
/** A build used this recently is never removed: a process that started from it may still read files beside its modules. */
const KEEP_RECENT_MS = 10 * 60_000;
/** A temporary build folder this old belongs to a process that died while building. */
const STALE_TEMPORARY_MS = 10 * 60_000;

/**
 * The key of the current sources: the path, mtime and size of every file of the source folders (and
 * package.json, tsconfig.json), esbuild's version and Node's. Its cost, measured in a fresh process
 * on the 2-CPU development VM (about 400 files) while other test suites ran (load 3 to 8): 16 to 35 ms,
 * median about 20 ms, nearly all of it the 400 stat calls (about 25 µs each on this VM; the listing
 * is 2 ms, the hash under 1 ms); the same call repeated in one process takes about 3.5 ms. Reading
 * mtimes cannot be skipped (an edit in place leaves the folder's mtime as it was), and parallel
 * fs.promises.stat calls were slower (18 to 26 ms). A start saves 1 to 2.5 s of CPU against tsx.
 *
 * @returns the key and the files found: `.ts` entry points (declarations excluded) and other files to copy
 */
export function sourceKey(root = ROOT) {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\0esbuild ${esbuildVersion(root)}\0format 1\0`);
  const entryPoints = [];
  const assets = [];
  for (const name of BUILD_INPUTS) {
    const s = statSync(path.join(root, name), { throwIfNoEntry: false });
    hash.update(`${name}\0${s ? `${s.mtimeMs}\0${s.size}` : '-'}\n`);
  }
  for (const folder of SOURCE_FOLDERS) walk(root, folder, (relative, stats) => {
    hash.update(`${relative}\0${stats.mtimeMs}\0${stats.size}\n`);
    if (relative.endsWith('.d.ts')) return;
    (relative.endsWith('.ts') ? entryPoints : assets).push(relative);
  });
  return { key: hash.digest('hex').slice(0, 20), entryPoints, assets };
}

/** Calls `visit` for every file under `folder` (relative to root), in a stable order; dot-files are left out. */
function walk(root, folder, visit) {
  let entries;
  try {
    entries = readdirSync(path.join(root, folder), { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) walk(root, relative, visit);
    else if (entry.isFile()) visit(relative, statSync(path.join(root, relative)));
  }
}

function esbuildVersion(root) {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules/esbuild/package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

function cacheFolder(root) {
  return process.env.SWITCHBOARD_BUILD_CACHE_DIR
    ? path.resolve(process.env.SWITCHBOARD_BUILD_CACHE_DIR)
    : path.join(root, 'node_modules', '.cache', 'switchboard');
}

/**
 * The compiled CLI module (`{ main }`), built first when the sources changed; undefined when the
 * caller should run the sources through tsx instead.
 *
 * @example
 * const cli = (await compiledCli()) ?? (await tsxCli());
 * process.exitCode = await cli.main(process.argv.slice(2));
 */
export async function compiledCli({ root = ROOT, warn = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (process.env.SWITCHBOARD_NO_BUILD_CACHE === '1') return undefined;
  let dir;
  try {
    const { key, entryPoints, assets } = sourceKey(root);
    const cache = cacheFolder(root);
    dir = path.join(cache, key);
    if (!existsSync(path.join(dir, MARKER))) await build({ root, cache, dir, key, entryPoints, assets });
    markUsed(dir);
  } catch (error) {
    if (error instanceof BuildError) warn(`switchboard: the build cache could not be made (${error.message}); running the TypeScript sources through tsx.`);
    return undefined;
  }
  mapStackTraces(dir);
  try {
    return await import(pathToFileURL(path.join(dir, 'bin', 'cli.js')).href);
  } catch (error) {
    // A module that fails to load compiled (a file the build did not copy) must not stop the CLI: tsx
    // loads the sources, and a fault of the sources themselves shows there the same way.
    warn(`switchboard: the compiled CLI did not load (${error?.message ?? error}); running the TypeScript sources through tsx.`);
    return undefined;
  }
}

/** A failure of esbuild itself (a syntax error in a source file): said once on stderr. */
class BuildError extends Error {}

async function build({ root, cache, dir, key, entryPoints, assets }) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed');
  }
  mkdirSync(cache, { recursive: true });
  const temporary = mkdtempSync(path.join(cache, `.tmp-${key}-`));
  try {
    try {
      await esbuild.build({
        absWorkingDir: root,
        entryPoints,
        outdir: temporary,
        outbase: root,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        bundle: false,
        sourcemap: 'linked',
        sourcesContent: false,
        logLevel: 'silent',
        tsconfig: path.join(root, 'tsconfig.json'),
      });
    } catch (error) {
      const first = error?.errors?.[0];
      if (!first) throw error;
      const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
      throw new BuildError(`${where}${first.text}`);
    } finally {
      // esbuild's service process would otherwise idle beside a long-running `serve`.
      await esbuild.stop?.();
    }
    for (const relative of assets) {
      const target = path.join(temporary, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(root, relative), target);
    }
    // Node reads a .js file as ESM only inside a package of "type": "module"; the project's own
    // package.json is not above this folder from Node's point of view (the lookup stops at node_modules).
    writeFileSync(path.join(temporary, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(path.join(temporary, MARKER), `${JSON.stringify({ key, builtAt: new Date().toISOString(), pid: process.pid, node: process.version })}\n`);
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process renamed its build into place first: use that one.
      if (!existsSync(path.join(dir, MARKER))) throw error;
      rmSync(temporary, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  prune(cache, dir);
}

/** The folder's mtime says when a build was last started from (best effort: a read-only cache keeps its times). */
function markUsed(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // read-only: the build is still good, only pruning loses its order
  }
}

/** Removes all but the KEEP_BUILDS most recently used builds (never one used in the last minutes) and dead temporary folders. */
function prune(cache, current) {
  try {
    const now = Date.now();
    const builds = [];
    for (const name of readdirSync(cache)) {
      const full = path.join(cache, name);
      const stats = statSync(full, { throwIfNoEntry: false });
      if (!stats?.isDirectory() || full === current) continue;
      if (name.startsWith('.tmp-')) {
        if (now - stats.mtimeMs > STALE_TEMPORARY_MS) rmSync(full, { recursive: true, force: true });
      } else {
        builds.push({ full, used: stats.mtimeMs });
      }
    }
    builds.sort((a, b) => b.used - a.used);
    for (const { full, used } of builds.slice(KEEP_BUILDS - 1)) {
      if (now - used > KEEP_RECENT_MS) rmSync(full, { recursive: true, force: true });
    }
  } catch {
    // best effort: another process may be pruning the same folder
  }
}

/**
 * Formats stacks as V8 does, with each frame of a module under `dir` pointed at its TypeScript source
 * through the module's source map (read the first time one of its frames is shown). A frame that cannot
 * be mapped is shown as it is; a program that sets its own Error.prepareStackTrace replaces this one.
 *
 * So a stack names the file a developer opens (bot/…/x.ts and its line, not a line of esbuild's
 * reprinted output). esbuild writes a map beside each module (`sourcemap: 'linked'`, without the
 * sources' text). Node's own process.setSourceMapsEnabled(true) was measured and not used: it reads and
 * parses the map of every module loaded after it, node_modules included (several packages ship
 * theirs), and made importing what `serve` loads (bot/index.js and bin/cli.js of the build) about
 * 180 ms slower (median of 6 interleaved runs on the 2-CPU development VM: 2.06 s against 1.88 s
 * without maps). Here nothing is read until an error's stack is.
 */
export function mapStackTraces(dir) {
  const prefix = `${pathToFileURL(dir).href}/`;
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      let map;
      try {
        const file = fileURLToPath(url);
        const payload = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
        map = { map: new SourceMap(payload), folder: path.dirname(file) };
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  const frame = (site) => {
    const text = String(site);
    const url = site.getFileName();
    if (!url?.startsWith(prefix)) return text;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    const found = mapOf(url);
    const entry = found && line && column ? found.map.findEntry(line - 1, column - 1) : undefined;
    if (!entry?.originalSource) return text;
    const source = entry.originalSource.startsWith('file:') ? entry.originalSource : pathToFileURL(path.resolve(found.folder, entry.originalSource)).href;
    return text.replace(`${url}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };
  Error.prepareStackTrace = (error, sites) => {
    let header;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = '<error>';
    }
    return header + sites.map((site) => `\n    at ${frame(site)}`).join('');
  };
}
