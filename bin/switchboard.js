#!/usr/bin/env node
// The `switchboard` command. It runs the CLI compiled to JavaScript from the build cache
// (compiled-entry.js: built by esbuild when a source file changed, about half a second), and the
// TypeScript sources through tsx when no build can be made or SWITCHBOARD_NO_BUILD_CACHE=1.
import { compiledCli } from './compiled-entry.js';

const cli = (await compiledCli()) ?? (await tsxCli());
process.exitCode = await cli.main(process.argv.slice(2));

async function tsxCli() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('./cli.ts');
}
