/**
 * What one turn may cost with PostgreSQL and Redis, asserted by the turn benchmarks' smoke test
 * (test/bench/turn-bench.e2e.test.ts) so that a regression fails CI; timings are never asserted.
 * Issue 13's targets are ≤ 12 SQL statements and ≤ 2 transactions per turn. Measured (bench:telegram, 32
 * connections): 12.3 statements (WhatsApp 13.4: its 24-hour window check) and 0.09 transactions; a smoke run
 * (4 connections, a loaded machine) saw up to 15.1, the sweeper's reads of turns that waited included. The
 * bounds leave that noise and catch any new statement of the turn's own.
 */
export const TURN_COST_BOUNDS = {
  sqlStatementsPerTurn: 18,
  transactionsPerTurn: 1,
} as const;
