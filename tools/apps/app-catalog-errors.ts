import { SwitchboardError } from '../../core/index.js';

export interface CatalogProblem {
  /** The field at fault, e.g. `apps[0] (soarix-web).environments.production.provider`. */
  field: string;
  problem: string;
  fix: string;
}

/** The catalog file cannot be read or does not follow the schema; the message lists every problem and its fix. */
export class AppCatalogError extends SwitchboardError {
  readonly code = 'app_catalog_invalid';
  constructor(
    readonly file: string,
    readonly problems: CatalogProblem[],
    options?: { cause?: unknown },
  ) {
    super(
      [
        `The app catalog ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
        ...problems.map((p) => `  - ${p.field}: ${p.problem}. Fix: ${p.fix}`),
      ].join('\n'),
      options,
    );
  }
}

/** A command named an app the catalog does not have. */
export class UnknownAppError extends SwitchboardError {
  readonly code = 'app_unknown';
  override readonly status = 404;
  constructor(
    readonly app: string,
    known: readonly string[],
  ) {
    super(`There is no app called "${app}". Known apps: ${known.length ? known.join(', ') : 'none yet'}.`);
  }
}

/** An edit the catalog refuses (a duplicate name, an app declared only in APPS). */
export class AppCatalogEditError extends SwitchboardError {
  readonly code = 'app_catalog_edit_refused';
  override readonly status = 409;
}
