/**
 * What one turn may cost with PostgreSQL and Redis, asserted by the turn benchmarks' smoke test
 * (test/bench/turn-bench.e2e.test.ts) so that a regression fails CI; timings are never asserted.
 * Issue 13's targets are ≤ 12 SQL statements and ≤ 2 transactions per turn: the statement bound is
 * tightened towards 12 as the cuts land.
 */
export const TURN_COST_BOUNDS = {
  sqlStatementsPerTurn: 24,
  transactionsPerTurn: 2,
} as const;
