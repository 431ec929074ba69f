import { SwitchboardError } from '../../core/index.js';

/** The labelled set cannot train a classifier (e.g. no in-scope example has any usable text). */
export class ClassifierTrainingError extends SwitchboardError {
  readonly code = 'classifier_training_failed';
  constructor(
    message: string,
    readonly examples: number,
  ) {
    super(message);
  }
}
