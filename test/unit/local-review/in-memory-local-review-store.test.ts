import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { describeLocalReviewStoreContract } from '../../support/local-review-store-contract.ts';

// The fake the unit tests use is held to the same contract as the DynamoDB store.
describeLocalReviewStoreContract(
  'the in-memory local review store',
  async () => new InMemoryLocalReviewStore(),
);
