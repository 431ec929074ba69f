// Runs one local deploy in its own process, printing each step, so a test can kill it mid-way (a crash).
import { LocalDeployProvider } from '../../../tools/deploy/index.js';

const request = JSON.parse(process.argv[2]!);
await new LocalDeployProvider().deploy(request, {
  signal: new AbortController().signal,
  step: async (name) => {
    process.stdout.write(`STEP ${name}\n`);
  },
  log: () => undefined,
});
process.stdout.write('DONE\n');
