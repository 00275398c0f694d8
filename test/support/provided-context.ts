/**
 * What the global setups hand to test files (vitest's `provide` there, `inject` here), typed.
 * Values are plain strings: they cross from the main process into the workers.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's one DynamoDB Local (test/support/dynamodb.global-setup.ts), in memory. */
    dynamodbEndpoint: string;
    /** The run's one headless Chromium (test/e2e/support/chromium.global-setup.ts), for `chromium.connect`. */
    chromiumWsEndpoint: string;
  }
}

export {};
