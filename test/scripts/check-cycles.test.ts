import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, '../../scripts/check-cycles.js');
let root: string | undefined;

/** Writes a small source tree (path → contents) into a fresh folder and runs the check on it. */
async function check(files: Record<string, string>): Promise<{ code: number; output: string }> {
  root = await mkdtemp(path.join(os.tmpdir(), 'switchboard-check-cycles-'));
  for (const [file, source] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), source);
  }
  return outcome(script, root);
}

async function outcome(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

describe('npm run check:cycles (dependency-cruiser)', () => {
  it('passes on this repository (its known exceptions aside)', async () => {
    const { code, output } = await outcome(script);
    expect(output).toMatch(/no dependency violations found \(\d+ modules/);
    expect(code).toBe(0);
  });

  it('fails on a planted cycle, naming the modules in it', async () => {
    const { code, output } = await check({
      'core/index.ts': "export { plantedA } from './planted-a.js';\n",
      'core/planted-a.ts': "import { plantedB } from './planted-b.js';\nexport const plantedA = () => plantedB();\n",
      'core/planted-b.ts': "import { plantedA } from './planted-a.js';\nexport const plantedB = (): unknown => plantedA;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/error no-circular: core\/planted-(a|b)\.ts → \s+core\/planted-(a|b)\.ts →\s+core\/planted-(a|b)\.ts/);
  });

  it('fails on a cycle through a folder index, across folders', async () => {
    const { code, output } = await check({
      'core/index.ts': "export { plantedCore } from './planted-core.js';\n",
      'core/planted-core.ts': "import { plantedStore } from '../store/index.js';\nexport const plantedCore = () => plantedStore;\n",
      'store/index.ts': "import { plantedCore } from '../core/index.js';\nexport const plantedStore = () => plantedCore;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error no-circular:');
  });

  it("fails when a folder's private file is imported from outside it, and passes through its index", async () => {
    const files = {
      'core/index.ts': "export { plantedClock } from './planted-clock.js';\n",
      'core/planted-clock.ts': 'export const plantedClock = () => 0;\n',
      'store/durable/planted-repo.ts': "import { plantedClock } from '../../core/index.js';\nimport { plantedSibling } from './planted-sibling.js';\nimport { plantedParent } from '../planted-parent.js';\nexport const plantedRepo = () => plantedClock() + plantedSibling + plantedParent;\n",
      'store/durable/planted-sibling.ts': 'export const plantedSibling = 1;\n',
      'store/planted-parent.ts': 'export const plantedParent = 2;\n',
    };
    // Through the index, from its own folder, and from a parent folder's file: all allowed.
    expect(await check(files)).toMatchObject({ code: 0 });
    await rm(root!, { recursive: true, force: true });

    const { code, output } = await check({
      ...files,
      'store/durable/planted-repo.ts': "import { plantedClock } from '../../core/planted-clock.js';\nexport const plantedRepo = () => plantedClock();\n",
      'store/planted-parent.ts': "import { plantedSibling } from './durable/planted-sibling.js';\nexport const plantedParent = plantedSibling;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error import-folders-through-index: store/durable/planted-repo.ts → core/planted-clock.ts');
    expect(output).toContain('error import-folders-through-index: store/planted-parent.ts → store/durable/planted-sibling.ts');
  });
});
