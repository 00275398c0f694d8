import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore, type IdempotencyRecord } from '../../shared/stores/case-store.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();

const aClaim = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  requestHash: 'hash-of-request-one',
  caseId: randomUUID(),
  claimedAt: '2026-03-04T10:00:00.000Z',
  ...overrides,
});

describe('idempotency keys in the DynamoDB case store', () => {
  let store: DynamoDbCaseStore;
  let tableName: string;
  beforeEach(async () => {
    tableName = await dynamo.freshTable();
    store = new DynamoDbCaseStore(dynamo.documentClient, tableName);
  });

  it('claims a new key for the request and remembers it', async () => {
    const claim = aClaim();

    const holder = await store.claimIdempotencyKey('key-new', claim);

    expect(holder).toEqual(claim);
    expect(await store.findIdempotencyKey('key-new')).toEqual(claim);
  });

  it('answers a second claim of the same key with the first, unchanged', async () => {
    const first = aClaim();
    await store.claimIdempotencyKey('key-twice', first);

    const second = await store.claimIdempotencyKey(
      'key-twice',
      aClaim({ requestHash: 'hash-of-request-two', claimedAt: '2026-03-04T10:01:00.000Z' }),
    );

    expect(second).toEqual(first);
    expect(await store.findIdempotencyKey('key-twice')).toEqual(first);
  });

  it('lets exactly one of many concurrent claims of a key win', async () => {
    const claims = Array.from({ length: 8 }, () => aClaim());

    const holders = await Promise.all(claims.map((claim) => store.claimIdempotencyKey('key-race', claim)));

    const winners = new Set(holders.map((holder) => holder.caseId));
    expect(winners.size).toBe(1);
    expect(claims.map((claim) => claim.caseId)).toContain([...winners][0]);
  });

  it('finds nothing for a key never claimed', async () => {
    expect(await store.findIdempotencyKey('key-never')).toBeUndefined();
  });

  it('stores the key with an expiry the table TTL removes it by', async () => {
    await store.claimIdempotencyKey('key-expiring', aClaim());

    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'IDEMPOTENCY#key-expiring', sk: 'IDEMPOTENCY' } }),
    );

    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-03-04T10:00:00.000Z') / 1000 + 7 * 24 * 3600);
  });
});
