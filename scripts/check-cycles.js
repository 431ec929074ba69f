#!/usr/bin/env node
// Fails (exit 1) when the project's TypeScript modules import each other in a cycle.
// Type-only imports are skipped: they vanish at run time and cannot cause initialisation-order bugs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['bin', 'bot', 'channels', 'flows', 'tools', 'intents', 'knowledge', 'config', 'store', 'core', 'voice', 'bench'];
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'public') continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function resolve(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

const files = SOURCE_DIRS.flatMap((d) => walk(path.join(root, d)));
const graph = new Map();
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const deps = new Set();
  for (const pattern of [IMPORT, DYNAMIC]) {
    for (const match of source.matchAll(pattern)) {
      // `import { type A, type B } from` is type-only too.
      const clause = match[0];
      if (/^\s*(?:import|export)\s*\{[^}]*\}/.test(clause) && /\{([^}]*)\}/.exec(clause)[1].split(',').every((p) => !p.trim() || /^type\s/.test(p.trim()))) continue;
      const target = resolve(file, match[1]);
      if (target) deps.add(target);
    }
  }
  graph.set(file, deps);
}

// Tarjan's strongly connected components: every component with more than one module is a cycle.
let index = 0;
const stack = [];
const onStack = new Set();
const indices = new Map();
const lowlinks = new Map();
const cycles = [];
function strongConnect(v) {
  indices.set(v, index);
  lowlinks.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indices.has(w)) {
      strongConnect(w);
      lowlinks.set(v, Math.min(lowlinks.get(v), lowlinks.get(w)));
    } else if (onStack.has(w)) {
      lowlinks.set(v, Math.min(lowlinks.get(v), indices.get(w)));
    }
  }
  if (lowlinks.get(v) === indices.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v)?.has(v) ?? false)) cycles.push(component);
  }
}
for (const file of graph.keys()) if (!indices.has(file)) strongConnect(file);

if (cycles.length > 0) {
  console.error(`Circular imports (${cycles.length}):`);
  for (const cycle of cycles) console.error(`  - ${cycle.map((f) => path.relative(root, f)).join(' <-> ')}`);
  process.exit(1);
}
console.log(`No circular imports among ${files.length} modules.`);
