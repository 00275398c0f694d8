import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { describeLocalReviewEnquiryStoreContract } from '../../support/local-review-enquiry-store-contract.ts';

// The fake the unit tests use is held to the same contract as the DynamoDB store.
describeLocalReviewEnquiryStoreContract(
  'the in-memory local review enquiry store',
  async () => new InMemoryLocalReviewEnquiryStore(),
);
