import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbSessionRevocations } from '../../shared/stores/session-revocations.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';
import { describeSessionRevocationsContract } from '../support/session-revocations-contract.ts';

const dynamo = useDynamoDbLocal();

describeSessionRevocationsContract(
  'the DynamoDB session revocations',
  async () => new DynamoDbSessionRevocations(dynamo.documentClient, await dynamo.freshTable()),
);

describe('the DynamoDB session revocations in their table', () => {
  it('keep a revocation in the case table until a day after the session would have expired, then the TTL removes it', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbSessionRevocations(dynamo.documentClient, tableName);

    await store.revoke('session-id-0123456789abcdef', new Date('2026-03-04T18:00:00Z'));

    const { Item } = await dynamo.documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: 'SESSION#session-id-0123456789abcdef', sk: 'REVOKED' },
      }),
    );
    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-03-04T18:00:00Z') / 1000 + 24 * 3600);
  });
});
