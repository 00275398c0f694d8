import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { describeLocalReviewDraftsStoreContract } from '../../support/local-review-drafts-store-contract.ts';

// The fake the unit tests use is held to the same contract as the DynamoDB store.
describeLocalReviewDraftsStoreContract(
  'the in-memory local review drafts store',
  async () => new InMemoryLocalReviewDraftsStore(),
);
