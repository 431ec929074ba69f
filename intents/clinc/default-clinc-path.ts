import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/data/clinc150/data_full.json` relative to the project root (the folder holding
 * package.json), found by walking up from this file so it works from source and from tests.
 */
export function defaultClincPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return path.resolve(dir, '..', 'shared', 'data', 'clinc150', 'data_full.json');
}
