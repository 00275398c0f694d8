import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { describeCaseStoreContract } from '../support/case-store-contract.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();

// The same contract the in-memory fake of the unit tests is held to.
describeCaseStoreContract(
  'the DynamoDB case store',
  async () => new DynamoDbCaseStore(dynamo.documentClient, await dynamo.freshTable()),
);

/** What only the table shows: the expiry attributes its TTL removes items by. */
describe('the DynamoDB case store in its table', () => {
  it('stores an idempotency key with an expiry a week after the claim', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName);

    await store.claimIdempotencyKey('key-expiring', {
      requestHash: 'hash-of-request-one',
      caseId: randomUUID(),
      claimedAt: '2026-03-04T10:00:00.000Z',
    });

    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'IDEMPOTENCY#key-expiring', sk: 'IDEMPOTENCY' } }),
    );
    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-03-04T10:00:00.000Z') / 1000 + 7 * 24 * 3600);
  });

  it('stores an agency link with an expiry 30 days after the link stops working', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName);

    await store.putAgencyLinks([
      {
        tokenHash: 'hash-expiring',
        caseId: randomUUID(),
        agencyId: 'police',
        expiresAt: '2026-04-04T17:00:00.000Z',
      },
    ]);

    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'LINK#hash-expiring', sk: 'LINK' } }),
    );
    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-04-04T17:00:00.000Z') / 1000 + 30 * 24 * 3600);
  });

  it('stores an issued upload with an expiry 30 days after its form stops working', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName);
    const uploadId = randomUUID();

    await store.putIssuedUpload({
      uploadId,
      caseId: randomUUID(),
      agencyId: 'police',
      issuedAt: '2026-03-12T14:00:00.000Z',
      expiresAt: '2026-03-12T14:15:00.000Z',
    });

    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' } }),
    );
    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-03-12T14:15:00.000Z') / 1000 + 30 * 24 * 3600);
  });
});
