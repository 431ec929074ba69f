/**
 * NLU benchmark: the offline classifier on CLINC150 against the published baselines.
 *
 *   npm run bench:nlu [-- path/to/data_full.json]
 *
 * Prints one line of JSON (the figures), then a table for people.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { evaluateUnderstanding, LabelledUtteranceSchema, OfflineUnderstander, type SlotName } from '../intents/index.js';
import { defaultClincPath, evaluateClinc, type ClincResult } from '../intents/clinc/index.js';
import { measureBuildDeploy, type BuildDeployFigures } from '../test/intents/build-deploy/index.js';
import { measureCrm } from '../test/intents/crm/index.js';
import { measureDomains } from '../test/intents/domains/index.js';
import type { SetFigures, SlotTally } from '../test/intents/independent-sets/index.js';

/** Larson et al. (EMNLP 2019), Table 2, "Full" data, out-of-scope by threshold (oos-threshold). */
const PUBLISHED: readonly { system: string; inScopeAccuracy: number; oosRecall: number }[] = [
  { system: 'Rasa', inScopeAccuracy: 0.915, oosRecall: 0.453 },
  { system: 'DialogFlow', inScopeAccuracy: 0.917, oosRecall: 0.14 },
  { system: 'SVM', inScopeAccuracy: 0.91, oosRecall: 0.145 },
  { system: 'MLP-USE', inScopeAccuracy: 0.935, oosRecall: 0.474 },
  { system: 'BERT', inScopeAccuracy: 0.969, oosRecall: 0.403 },
];

/** Our own intent catalog, measured on utterances written independently of its examples. */
export interface CatalogFigures {
  utterances: number;
  intentAccuracy: number;
  env: number;
  domain: number;
  envMentions: number;
  domainMentions: number;
  trainMs: number;
  /** The first pass over the set, compilation and first-use costs included. */
  msPerUtterance: number;
  /** CPU per utterance on a second pass, as a running service sees it (issue 13's budget: 0.3 ms). */
  warmCpuMsPerUtterance: number;
  modelBytes: number;
}

const percent = (value: number | undefined): string => (value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);

/** The human-readable report. */
export function formatReport(
  clinc: ClincResult,
  catalog?: CatalogFigures,
  buildDeploy?: BuildDeployReport,
  domains?: SetReport,
  crm?: SetReport,
): string {
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
  if (catalog) {
    lines.push(
      '',
      `Our catalog (trained on its examples, measured on ${catalog.utterances} independently written utterances)`,
      `  intent accuracy ${percent(catalog.intentAccuracy)} · env right ${percent(catalog.env)} · domain right ${percent(catalog.domain)}`,
      `  (any mention, whatever the intent: env ${percent(catalog.envMentions)} · domain ${percent(catalog.domainMentions)})`,
      `  training ${catalog.trainMs.toFixed(0)} ms · ${catalog.msPerUtterance.toFixed(3)} ms per utterance with slots on the first pass, ` +
        `${catalog.warmCpuMsPerUtterance.toFixed(3)} ms of CPU on the next · model ${(catalog.modelBytes / 1024).toFixed(0)} KiB`,
    );
  }
  if (buildDeploy) {
    const { app, env, ref } = buildDeploy.slots;
    lines.push(
      '',
      `Build and deploy (issue 10; ${buildDeploy.utterances} independently written utterances, app catalog names + aliases)`,
      `  intent accuracy ${percent(buildDeploy.intentAccuracy)} · app right ${percent(app.accuracy)} of ${app.total} · env ${percent(env.accuracy)} of ${env.total} · ref ${percent(ref.accuracy)} of ${ref.total}`,
    );
  }
  const setLines = (title: string, set: SetReport) => [
    '',
    title,
    `  intent accuracy ${percent(set.intentAccuracy)} · ` +
      Object.entries(set.slots)
        .map(([slot, tally]) => `${slot} ${percent(tally.accuracy)} of ${tally.total}`)
        .join(' · '),
    `  ${set.msPerUtterance.toFixed(3)} ms per utterance with slots`,
  ];
  if (domains) lines.push(...setLines(`Domains and DNS (issue 11; ${domains.utterances} independently written utterances)`, domains));
  if (crm) lines.push(...setLines(`CRM (issue 12; ${crm.utterances} independently written utterances)`, crm));
  return lines.join('\n');
}

async function measureCatalog(): Promise<CatalogFigures> {
  const understander = OfflineUnderstander.train();
  const file = fileURLToPath(new URL('../test/intents/fixtures/independent-utterances.json', import.meta.url));
  const utterances = LabelledUtteranceSchema.array().parse(JSON.parse(readFileSync(file, 'utf8')));
  const apps = ['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop'];
  const context = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'Europe/London', apps };
  const result = await evaluateUnderstanding(understander, utterances, context);
  const cpuBefore = process.cpuUsage();
  for (const utterance of utterances) await understander.understand(utterance.text, context);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    utterances: result.utterances,
    intentAccuracy: result.intentAccuracy,
    env: result.env.accuracy,
    domain: result.domain.accuracy,
    envMentions: result.envMentions.accuracy,
    domainMentions: result.domainMentions.accuracy,
    trainMs: understander.trainMs,
    msPerUtterance: result.msPerUtterance,
    warmCpuMsPerUtterance: (cpu.user + cpu.system) / 1000 / utterances.length,
    modelBytes: understander.classifier.memoryBytes(),
  };
}

/** The build/deploy set's figures, without the lists of misses (the test prints those). */
export type BuildDeployReport = Pick<BuildDeployFigures, 'utterances' | 'intentAccuracy' | 'slots'>;

async function measureBuildDeploySet(): Promise<BuildDeployReport> {
  const { utterances, intentAccuracy, slots } = await measureBuildDeploy(OfflineUnderstander.train());
  return { utterances, intentAccuracy, slots };
}

/** A domain or CRM set's figures, without the lists of misses (their tests print those). */
export interface SetReport {
  utterances: number;
  intentAccuracy: number;
  msPerUtterance: number;
  slots: Record<string, SlotTally>;
}

async function measureDomainAndCrmSets(): Promise<{ domains: SetReport; crm: SetReport }> {
  const understander = OfflineUnderstander.train();
  const report = <S extends SlotName>({ utterances, intentAccuracy, msPerUtterance, slots }: SetFigures<S>): SetReport => ({
    utterances,
    intentAccuracy,
    msPerUtterance,
    slots,
  });
  return { domains: report(await measureDomains(understander)), crm: report(await measureCrm(understander)) };
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? defaultClincPath();
  const catalog = await measureCatalog();
  const buildDeploy = await measureBuildDeploySet();
  const { domains, crm } = await measureDomainAndCrmSets();
  const clinc = evaluateClinc(path);
  console.log(JSON.stringify({ clinc, catalog, buildDeploy, domains, crm }));
  console.log();
  console.log(formatReport(clinc, catalog, buildDeploy, domains, crm));
}

// Run only as a script, so `formatReport` can be imported by other benches.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
