import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** One DynamoDB Local (in memory) for the run, shared by the projects that name it. */
const sharedDynamoDb = 'test/support/dynamodb.global-setup.ts';
/** One headless Chromium for the run. */
const sharedChromium = 'test/e2e/support/chromium.global-setup.ts';

/**
 * One project per test layer (ARCHITECTURE §6). `npm test` runs them all;
 * `npx vitest run --project unit` runs one. The global setups start what many files share, once
 * per run, and stop it when the run ends; files reach it through `inject`.
 */
export default defineConfig({
  test: {
    // Handlers log a JSON line per request; show logs only for a test that fails.
    silent: 'passed-only',
    // Files spend much of their time waiting on other processes (DynamoDB Local, Chromium, the
    // CDK CLI), so two run at once even on two cores (vitest's default there would be one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
          globalSetup: [sharedDynamoDb],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Headless Chromium against the local stack: each file starts its own stack (its own
        // table on the shared DynamoDB) and connects to the shared browser.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [sharedDynamoDb, sharedChromium],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
