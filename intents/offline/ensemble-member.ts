import { linearModelBytes, linearScores, type LinearModel } from './linear-svm.js';
import { mlpBytes, mlpScores, type MlpModel } from './mlp.js';
import type { SparseVector } from './sparse-matrix.js';

/** What an ensemble member is made of: enough to score with it, and to save and load it (classifier-file.ts). */
export type MemberModel = { kind: 'svm'; model: LinearModel } | { kind: 'network'; model: MlpModel };

/** One model of the ensemble: raw scores for every class, turned into probabilities with its temperature. */
export interface EnsembleMember {
  readonly name: string;
  /** The member's weights, as classifier-file.ts saves them. */
  readonly spec: MemberModel;
  score(vector: SparseVector, out: Float64Array): Float64Array;
  bytes(): number;
}

/** The scoring member of a trained or loaded model. */
export function ensembleMember(name: string, spec: MemberModel): EnsembleMember {
  if (spec.kind === 'svm') {
    const svm = spec.model;
    return { name, spec, score: (v, out) => linearScores(svm, v, out), bytes: () => linearModelBytes(svm) };
  }
  const network = spec.model;
  const hidden = new Float64Array(network.hidden);
  return { name, spec, score: (v, out) => mlpScores(network, v, out, hidden), bytes: () => mlpBytes(network) };
}
