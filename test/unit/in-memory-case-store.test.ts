import { describeCaseStoreContract } from '../support/case-store-contract.ts';
import { InMemoryCaseStore } from '../support/in-memory-case-store.ts';

// The fake the unit tests use, held to the same contract as the DynamoDB adapter
// (test/integration/case-store.test.ts), so it cannot drift from what it stands in for.
describeCaseStoreContract(
  'the in-memory case store (the unit tests’ fake)',
  async () => new InMemoryCaseStore(),
);
