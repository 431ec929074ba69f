/**
 * Knowledge base benchmark: retrieval and the "do we know this?" threshold on the sample documents,
 * the search options compared, and the time of an offline answer.
 *
 *   npx tsx bench/knowledge.ts
 *
 * Two labelled sets (test/knowledge/fixtures): questions.json, on which the options and the threshold
 * were chosen, and held-out-questions.json, written afterwards and never tuned on. Prints one line of
 * JSON (the figures), then a table for people.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { DEFAULT_MIN_COVERAGE, DEFAULT_TUNING, KnowledgeBase, KnowledgeIndex, SAMPLE_KNOWLEDGE_DIR, type SearchTuning } from '../knowledge/index.js';

const LabelledSetSchema = z.object({
  inDocs: z.array(z.object({ q: z.string(), sections: z.array(z.string()).min(1) })),
  notInDocs: z.array(z.string()),
});
type LabelledSet = z.infer<typeof LabelledSetSchema>;

const FIXTURES = path.join(import.meta.dirname, '..', 'test', 'knowledge', 'fixtures');
const readSet = (name: string): LabelledSet => LabelledSetSchema.parse(JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')));

const VARIANTS: Record<string, Partial<SearchTuning>> = {
  chosen: {},
  'no stemming': { stem: false, synonyms: false },
  'no synonyms': { synonyms: false },
  'no fuzzy': { fuzzy: 0 },
  'fuzzy 0.2': { fuzzy: 0.2 },
  'prefix on': { prefix: true },
  'heading boost 1': { boost: { heading: 1, parents: 1, text: 1 } },
  'heading boost 3': { boost: { heading: 3, parents: 1, text: 1 } },
  'unknown words weigh 1': { unknownWeight: 1 },
};
const THRESHOLDS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];

interface SetFigures {
  questions: number;
  /** In-document questions whose best passage is a right section. */
  top1: number;
  /** …or a right section among the four passages retrieved. */
  top4: number;
  /** Answered-or-not at each coverage threshold: precision and recall of "answered" (answered = the right section, quoted). */
  byThreshold: { threshold: number; precision: number; recall: number }[];
}

async function measureSet(set: LabelledSet, tuning: SearchTuning): Promise<SetFigures> {
  const index = new KnowledgeIndex(SAMPLE_KNOWLEDGE_DIR, tuning);
  await index.refresh();
  const inDocs = set.inDocs.map(({ q, sections }) => {
    const passages = index.search(q, 4);
    return { right: passages[0] !== undefined && sections.includes(passages[0].id), inTop4: passages.some((p) => sections.includes(p.id)), coverage: passages[0]?.coverage ?? 0 };
  });
  const notInDocs = set.notInDocs.map((q) => index.search(q, 1)[0]?.coverage ?? 0);
  const byThreshold = THRESHOLDS.map((threshold) => {
    const answered = inDocs.filter((f) => f.coverage >= threshold);
    const rightlyAnswered = answered.filter((f) => f.right).length;
    const wronglyAnswered = answered.length - rightlyAnswered + notInDocs.filter((c) => c >= threshold).length;
    return {
      threshold,
      precision: round(rightlyAnswered / Math.max(1, rightlyAnswered + wronglyAnswered)),
      recall: round(rightlyAnswered / inDocs.length),
    };
  });
  return { questions: inDocs.length + notInDocs.length, top1: round(inDocs.filter((f) => f.right).length / inDocs.length), top4: round(inDocs.filter((f) => f.inTop4).length / inDocs.length), byThreshold };
}

/** Milliseconds per offline answer (refresh check, search and quote; median round), and what a refresh check and a rebuild cost. */
async function measureSpeed(questions: readonly string[]): Promise<{ msPerAnswer: number; msPerRefreshCheck: number; msPerRebuild: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-bench-'));
  try {
    await cp(SAMPLE_KNOWLEDGE_DIR, dir, { recursive: true });
    const kb = new KnowledgeBase({ dir });
    for (const q of questions) await kb.answer(q); // warm up
    // The median of 20 rounds: a shared machine's busy moments should not be the figure.
    const perRound: number[] = [];
    for (let r = 0; r < 20; r++) {
      const roundStarted = performance.now();
      for (const q of questions) await kb.answer(q);
      perRound.push((performance.now() - roundStarted) / questions.length);
    }
    const msPerAnswer = perRound.sort((a, b) => a - b)[perRound.length >> 1]!;
    let started = performance.now();
    for (let r = 0; r < 200; r++) await kb.index.refresh();
    const msPerRefreshCheck = (performance.now() - started) / 200;
    const file = path.join(dir, 'faq.md');
    started = performance.now();
    for (let r = 0; r < 20; r++) {
      await utimes(file, new Date(), new Date(Date.now() + (r + 1) * 1_000));
      await kb.index.refresh();
    }
    const msPerRebuild = (performance.now() - started) / 20;
    return { msPerAnswer: round(msPerAnswer, 3), msPerRefreshCheck: round(msPerRefreshCheck, 3), msPerRebuild: round(msPerRebuild, 2) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  const tuned = readSet('questions.json');
  const heldOut = readSet('held-out-questions.json');
  const variants: Record<string, { tuned: SetFigures; heldOut: SetFigures }> = {};
  for (const [name, change] of Object.entries(VARIANTS)) {
    const tuning = { ...DEFAULT_TUNING, ...change };
    variants[name] = { tuned: await measureSet(tuned, tuning), heldOut: await measureSet(heldOut, tuning) };
  }
  const speed = await measureSpeed([...tuned.inDocs.map((q) => q.q), ...tuned.notInDocs]);
  const at = (figures: SetFigures) => figures.byThreshold.find((t) => t.threshold === DEFAULT_MIN_COVERAGE)!;
  const chosen = variants.chosen!;
  console.log(JSON.stringify({ threshold: DEFAULT_MIN_COVERAGE, tuned: { top1: chosen.tuned.top1, ...at(chosen.tuned) }, heldOut: { top1: chosen.heldOut.top1, ...at(chosen.heldOut) }, ...speed }));

  const pct = (n: number) => `${(n * 100).toFixed(0)}%`.padStart(5);
  console.log(`\nRetrieval (best passage is a right section) and answered-or-not at coverage ≥ ${DEFAULT_MIN_COVERAGE}:`);
  console.log('  variant                 tuned: top1  top4  prec recall   held-out: top1  top4  prec recall');
  for (const [name, { tuned: t, heldOut: h }] of Object.entries(variants)) {
    console.log(`  ${name.padEnd(22)}        ${pct(t.top1)} ${pct(t.top4)} ${pct(at(t).precision)} ${pct(at(t).recall)}             ${pct(h.top1)} ${pct(h.top4)} ${pct(at(h).precision)} ${pct(at(h).recall)}`);
  }
  console.log('\nThreshold (chosen options): precision / recall of answering');
  console.log(`  threshold   tuned (${tuned.inDocs.length} in, ${tuned.notInDocs.length} out)   held-out (${heldOut.inDocs.length} in, ${heldOut.notInDocs.length} out)`);
  for (const [i, t] of chosen.tuned.byThreshold.entries()) {
    const h = chosen.heldOut.byThreshold[i]!;
    console.log(`  ${t.threshold.toFixed(2).padEnd(10)}  ${pct(t.precision)} / ${pct(t.recall)}            ${pct(h.precision)} / ${pct(h.recall)}${t.threshold === DEFAULT_MIN_COVERAGE ? '   ← default' : ''}`);
  }
  console.log(`\nOffline answer: ${speed.msPerAnswer} ms per question (refresh check ${speed.msPerRefreshCheck} ms, rebuild after a change ${speed.msPerRebuild} ms)`);
}

await main();
