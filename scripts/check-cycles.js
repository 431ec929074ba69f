#!/usr/bin/env node
// `npm run check:cycles` (part of `npm test`): the import rules of .dependency-cruiser.cjs (no circular imports;
// a folder is imported through its index.ts), checked by dependency-cruiser over the source folders. Imports
// listed in scripts/known-import-violations.json are known and let through; every other one fails the run.
//
//   node scripts/check-cycles.js [root]
// root: a folder laid out like this repository (default: this repository); the tests plant bad imports in one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
const root = path.resolve(process.argv[2] ?? repo);
const SOURCE_DIRS = ['bin', 'bot', 'channels', 'flows', 'tools', 'intents', 'knowledge', 'config', 'store', 'core', 'voice', 'bench'];
const folders = SOURCE_DIRS.filter((dir) => existsSync(path.join(root, dir)));

const result = spawnSync(
  path.join(repo, 'node_modules', '.bin', 'depcruise'),
  [
    '--config', path.join(repo, '.dependency-cruiser.cjs'),
    '--ignore-known', path.join(repo, 'scripts', 'known-import-violations.json'),
    '--output-type', 'err',
    ...folders,
  ],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
