import path from 'node:path';
import { parseCommandArgs, type CliCommand } from '../cli-context.js';

/**
 * `switchboard eval-clinc [path]`: trains the offline classifier on CLINC150's train + oos_train,
 * tunes on val + oos_val, evaluates on test + oos_test, and prints the figures as JSON.
 */
export const evalClincCommand: CliCommand = {
  usage: 'eval-clinc [path]',
  summary: 'measure the offline classifier on CLINC150 (../shared/data/clinc150/data_full.json by default)',
  details: [
    'Prints {"inScopeAccuracy","oosRecall","trainSeconds","msPerUtterance","modelBytes"} as one JSON line.',
    'path: CLINC150 data_full.json (https://github.com/clinc/oos-eval); it takes about a minute.',
  ].join('\n'),
  async run(args, context) {
    const [given] = parseCommandArgs(this, args, {}, { max: 1 }).positionals;
    const { defaultClincPath, evaluateClinc } = await import('../../intents/clinc/index.js');
    const file = given ? path.resolve(given) : defaultClincPath();
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
