import { defineConfig } from 'vitest/config';

/**
 * One project per test layer (ARCHITECTURE §6). `npm test` runs them all;
 * `npx vitest run --project unit` runs one.
 */
export default defineConfig({
  test: {
    // Handlers log a JSON line per request; show logs only for a test that fails.
    silent: 'passed-only',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'statemachines', include: ['test/statemachines/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Headless Chromium against the local stack; each file starts its own stack and browser.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
