import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';
import { describePrgReferralStoreContract } from '../../support/prg-referral-store-contract.ts';

// The fake the unit tests use is held to the same contract as the DynamoDB store.
describePrgReferralStoreContract('the in-memory referral store', async () => new InMemoryPrgReferralStore());
