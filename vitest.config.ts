import { defineConfig } from 'vitest/config';

// Test tiers by suffix (see STYLE.md): *.test.ts needs no services, *.int.test.ts talks to real
// Redis/PostgreSQL, *.e2e.test.ts drives the running service over HTTP or in a browser.
export default defineConfig({
  test: {
    // Once per run, before any file: every service, tool and data set the suites need is here, or the run
    // stops with one message saying how to get it; SWITCHBOARD_TEST_SKIP skips on purpose (test/support/needs.ts).
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          testTimeout: 30_000,
          // PGlite takes a few seconds to start, longer on a busy 2-core machine.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'int',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // Each e2e file starts services of its own; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
        },
      },
    ],
  },
});
