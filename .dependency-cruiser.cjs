// The import rules of STYLE.md, checked by dependency-cruiser (`npm run check:cycles`, part of `npm test`):
//   1. no circular imports;
//   2. a folder is imported through its index.ts: nothing outside a folder imports its private files.
// Source folders only; tests may reach into private files on purpose.
// Imports that broke a rule when it was first checked by this tool (issue 9) are listed, pair by pair, in
// scripts/known-import-violations.json (dependency-cruiser's own baseline, `--ignore-known`): the check
// fails on every new one. Shrink that list as files move to their folder's index; never regenerate it to
// hide a new violation.

// dependency-cruiser's group matching: the folders of the importing file are captured ($1, $2, $3) and the
// imported file may be private only when it lies in one of them (the importer's own folder or a parent).
// One rule per depth, because dependency-cruiser refuses regular expressions with nested quantifiers.
const SEGMENT = '[^/]+';
const NOT_A_PACKAGE = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'core', 'unknown'];
const throughIndex = (depth) => {
  const folders = Array.from({ length: depth }, (_, i) => `$${i + 1}`);
  return {
    name: 'import-folders-through-index',
    severity: 'error',
    comment: 'Import a folder through its index.ts (STYLE.md): nothing outside a folder imports its private files.',
    from: { path: `^${Array(depth).fill(`(${SEGMENT})`).join('/')}/${SEGMENT}$` },
    to: {
      dependencyTypesNot: NOT_A_PACKAGE,
      pathNot: ['(^|/)index\\.ts$', ...folders.map((_, i) => `^${folders.slice(0, i + 1).join('/')}/${SEGMENT}$`)],
    },
  };
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports (STYLE.md): break the cycle by moving the shared part into its own module.',
      from: {},
      // Type-only imports count too: swc (below) does not tell them apart, so this is stricter than the hand-written
      // check it replaces, which skipped them. No cycle exists either way today; move shared types into their own module.
      to: { circular: true },
    },
    // Source files lie one to three folders deep today; five leaves room.
    ...[1, 2, 3, 4, 5].map(throughIndex),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)public/', '\\.d\\.ts$'] },
    // TypeScript 7 has no JavaScript compiler API for dependency-cruiser to call; swc parses the .ts files.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
