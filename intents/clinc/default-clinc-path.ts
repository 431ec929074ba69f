import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/data/clinc150/data_full.json` relative to the project root (the folder holding
 * package.json), found by walking up from this file so it works from source and from tests. A
 * package.json without a name is passed over: the compiled CLI's build folder
 * (node_modules/.cache/switchboard/<key>/, bin/compiled-entry.js) holds one that only says "type".
 */
export function defaultClincPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!isProjectRoot(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return path.resolve(dir, '..', 'shared', 'data', 'clinc150', 'data_full.json');
}

function isProjectRoot(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return typeof (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'string';
  } catch {
    return false;
  }
}
