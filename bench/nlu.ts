/**
 * NLU benchmark: the offline classifier on CLINC150 against the published baselines.
 *
 *   npm run bench:nlu [-- path/to/data_full.json]
 *
 * Prints one line of JSON (the figures), then a table for people.
 */
import { pathToFileURL } from 'node:url';
import { defaultClincPath, evaluateClinc, type ClincResult } from '../intents/clinc/index.js';

/** Larson et al. (EMNLP 2019), Table 2, "Full" data, out-of-scope by threshold (oos-threshold). */
const PUBLISHED: readonly { system: string; inScopeAccuracy: number; oosRecall: number }[] = [
  { system: 'Rasa', inScopeAccuracy: 0.915, oosRecall: 0.453 },
  { system: 'DialogFlow', inScopeAccuracy: 0.917, oosRecall: 0.14 },
  { system: 'SVM', inScopeAccuracy: 0.91, oosRecall: 0.145 },
  { system: 'MLP-USE', inScopeAccuracy: 0.935, oosRecall: 0.474 },
  { system: 'BERT', inScopeAccuracy: 0.969, oosRecall: 0.403 },
];

/** Another data set scored the same way, e.g. our own intent catalog. */
export interface ExtraEvaluation {
  name: string;
  inScopeAccuracy: number;
  oosRecall?: number;
}

const percent = (value: number | undefined): string => (value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);

/**
 * The human-readable report.
 * --- extension point: the lead passes "accuracy on our own catalog" as `extra` ---
 */
export function formatReport(clinc: ClincResult, extra?: ExtraEvaluation): string {
  const rows = [
    { system: 'Switchboard offline (this run)', inScopeAccuracy: clinc.inScopeAccuracy, oosRecall: clinc.oosRecall },
    ...PUBLISHED,
  ];
  const lines = [
    'CLINC150 full, test split (train: train + oos_train; tuned on val + oos_val)',
    '',
    `${'system'.padEnd(32)}${'in-scope acc'.padStart(14)}${'OOS recall'.padStart(12)}`,
    ...rows.map(
      (r) => `${r.system.padEnd(32)}${percent(r.inScopeAccuracy).padStart(14)}${percent(r.oosRecall).padStart(12)}`,
    ),
    '',
    `training ${clinc.trainSeconds.toFixed(1)} s · ${clinc.msPerUtterance.toFixed(3)} ms per utterance · ` +
      `model ${(clinc.modelBytes / 1024 / 1024).toFixed(1)} MiB`,
  ];
  if (extra) {
    lines.push(
      '',
      `${extra.name}: in-scope accuracy ${percent(extra.inScopeAccuracy)}, OOS recall ${percent(extra.oosRecall)}`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const path = process.argv[2] ?? defaultClincPath();
  const clinc = evaluateClinc(path);
  console.log(JSON.stringify(clinc));
  console.log();
  console.log(formatReport(clinc));
}

// Run only as a script, so `formatReport` can be imported by other benches.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
