import path from 'node:path';
import { defaultClincPath, evaluateClinc } from '../../intents/clinc/index.js';
import type { CliCommand } from '../cli-context.js';

/**
 * `switchboard eval-clinc [path]`: trains the offline classifier on CLINC150's train + oos_train,
 * tunes on val + oos_val, evaluates on test + oos_test, and prints the figures as JSON.
 */
export const evalClincCommand: CliCommand = {
  usage: 'eval-clinc [path]',
  summary: 'measure the offline classifier on CLINC150 (../shared/data/clinc150/data_full.json by default)',
  async run(args, context) {
    const file = args[0] ? path.resolve(args[0]) : defaultClincPath();
    context.stderr.write(`training on ${file} (about a minute)…\n`);
    const result = evaluateClinc(file);
    context.stdout.write(
      `${JSON.stringify({
        inScopeAccuracy: result.inScopeAccuracy,
        oosRecall: result.oosRecall,
        trainSeconds: result.trainSeconds,
        msPerUtterance: result.msPerUtterance,
        modelBytes: result.modelBytes,
      })}\n`,
    );
    return 0;
  },
};
