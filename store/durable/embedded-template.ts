import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The template a new embedded database starts from: the data folder of a freshly initialised PGlite,
 * as the tarball `dumpDataDir` writes, kept once per machine and PGlite version.
 *
 * Why: creating a PGlite database runs PostgreSQL's initdb in WebAssembly, 3.1-3.5 s of CPU on this
 * 2-core machine, while loading the same cluster from its tarball takes 0.65-0.7 s (measured with
 * PGlite 0.5.14: new folder, in memory, and both from a 42 MB uncompressed dump; gzip made it 5 MB
 * but 0.3 s slower to load). PGlite's own initdb makes the cluster in a second instance and copies it
 * in the same way (dumpDataDir, then loadDataDir), so a template is the library's own path, done once.
 * It holds only what initdb makes: migrations still run on every new database, so the template never
 * depends on this project's schema, only on PGlite's version (its file name).
 */
export const TEMPLATE_FORMAT = 1;

/**
 * `node_modules/.cache/switchboard/pglite-template-<version>-<format>.tar` in the project whose
 * node_modules holds PGlite (found by walking up from this module, so it works from the sources, the
 * compiled CLI's build folder under node_modules/.cache and the tests); undefined when none is found.
 */
export function defaultTemplatePath(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'node_modules', '@electric-sql', 'pglite', 'package.json');
    if (existsSync(manifest)) {
      const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
      return path.join(dir, 'node_modules', '.cache', 'switchboard', `pglite-template-${version}-${TEMPLATE_FORMAT}.tar`);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The template's bytes (in a buffer of their own, so they can be transferred to a thread), or undefined when there is none yet (or it cannot be read). */
export function readTemplate(file: string): Uint8Array | undefined {
  try {
    const bytes = readFileSync(file);
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Saves a database's data folder (`dump`: its tarball, as PGlite's dumpDataDir makes it) as the
 * template, right after its initdb: written beside the target and
 * renamed over it, so a reader sees a whole tarball or none (several processes may make one at once:
 * the last rename wins, and every one of them is whole). Templates of other PGlite versions are
 * removed. Best effort: a read-only or full disk only means the next new database runs initdb too.
 */
export async function saveTemplate(dump: () => Promise<Uint8Array>, file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const tarball = await dump();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, tarball);
    renameSync(temporary, file);
    const folder = path.dirname(file);
    for (const name of readdirSync(folder)) {
      if (name.startsWith('pglite-template-') && name !== path.basename(file) && !name.endsWith('.tmp')) {
        rmSync(path.join(folder, name), { force: true });
      }
    }
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** A discarded template (PGlite could not load it): removed so the next new database makes a good one. */
export function discardTemplate(file: string): void {
  rmSync(file, { force: true });
}
