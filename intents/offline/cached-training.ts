import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ClassifierFileError, decodeClassifier, encodeClassifier } from './classifier-file.js';
import type { OfflineClassifier } from './offline-classifier.js';
import type { LabelledExample } from './text-classifier.js';
import { trainClassifier, type TrainOptions } from './train-classifier.js';

export interface CachedTraining {
  classifier: OfflineClassifier;
  /** `loaded`: read from the cache file; `trained`: trained now (and saved, unless `saveError`). */
  source: 'loaded' | 'trained';
  /** Why the cache file was not used, when it was there but damaged (it is replaced). */
  rejected?: string;
  /** Why the trained model could not be saved (a read-only folder): the next start trains again. */
  saveError?: string;
  ms: number;
}

/**
 * Training at every start costs about a second of CPU (several on a busy machine); the model only
 * changes when the examples, the options or the training code change. So the trained model is kept
 * in `file`, keyed by a SHA-256 of all three (the code: every source file of this folder), and
 * loaded (milliseconds) while the key matches. A file with another key, or one that is damaged,
 * is replaced by a newly trained model. Writes go to a temporary file renamed into place, so a
 * second process starting at the same moment reads either the old file or the new one.
 */
export function trainClassifierCached(
  examples: readonly LabelledExample[],
  options: Omit<TrainOptions, 'validation'>,
  file: string,
): CachedTraining {
  const started = performance.now();
  const key = trainingKey(examples, options);
  let rejected: string | undefined;
  try {
    const classifier = decodeClassifier(readFileSync(file), key);
    if (classifier) return { classifier, source: 'loaded', ms: performance.now() - started };
  } catch (error) {
    if (error instanceof ClassifierFileError || error instanceof SyntaxError) rejected = error.message;
    else if ((error as NodeJS.ErrnoException).code !== 'ENOENT') rejected = (error as Error).message;
  }
  const classifier = trainClassifier(examples, options);
  const saveError = save(file, encodeClassifier(classifier, key));
  return {
    classifier,
    source: 'trained',
    ...(rejected ? { rejected } : {}),
    ...(saveError ? { saveError } : {}),
    ms: performance.now() - started,
  };
}

/** SHA-256 of the examples, the options and this folder's source code. */
export function trainingKey(examples: readonly LabelledExample[], options: Omit<TrainOptions, 'validation'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(options));
  for (const example of examples) hash.update(`${example.label}\u0000${example.text}\u0001`);
  hash.update(trainingCodeHash());
  return hash.digest('hex');
}

let codeHash: string | undefined;

/** The training code's version: a hash of every source file of intents/offline (read once per process). */
function trainingCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  const folder = import.meta.dirname;
  for (const name of readdirSync(folder).filter((n) => /\.[cm]?[jt]s$/.test(n)).sort()) {
    hash.update(name).update(readFileSync(path.join(folder, name)));
  }
  codeHash = hash.digest('hex');
  return codeHash;
}

function save(file: string, bytes: Buffer): string | undefined {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    return undefined;
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // the folder itself is unusable: there is no temporary file to remove
    }
    return (error as Error).message;
  }
}
