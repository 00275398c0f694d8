import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { aCase, describeCaseStoreContract, opened } from '../support/case-store-contract.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();

// The same contract the in-memory fake of the unit tests is held to.
describeCaseStoreContract('the DynamoDB case store', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
});

/** What only the table shows: the expiry attributes its TTL removes items by. */
describe('the DynamoDB case store in its table', () => {
  it('stores an idempotency key with an expiry a week after the claim', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));

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

  it('keeps the year’s reference counter in one item, and gives concurrent intakes in different containers different numbers', async () => {
    const tableName = await dynamo.freshTable();
    // Each as a separate function container would hold it: its own client and store.
    const containers = Array.from(
      { length: 4 },
      () => new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName)),
    );

    const numbers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (containers[index % containers.length] as DynamoDbCaseStore).takeCaseReferenceNumber(2026),
      ),
    );

    expect(new Set(numbers).size).toBe(40);
    expect(Math.min(...numbers)).toBe(1);
    expect(Math.max(...numbers)).toBe(40);
    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'COUNTER#reference#2026', sk: 'COUNTER' } }),
    );
    expect(Item).toEqual({ pk: 'COUNTER#reference#2026', sk: 'COUNTER', lastNumber: 40 });
  });

  it('keeps the partnership directory under its own partition, DIRECTORY#agencies, an item per agency and a marker', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));

    await store.startDirectory([
      { agencyId: 'police', name: 'Police (test)', version: 1, updatedAt: '2026-03-05T10:00:00.000Z' },
    ]);

    const { Items } = await dynamo.documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'DIRECTORY#agencies' },
      }),
    );
    expect(Items?.map((item) => item.sk)).toEqual(['AGENCY#police', 'KEPT']);
  });

  it('stores an agency link with an expiry 30 days after the link stops working', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));

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
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
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

  it('keeps audit events in the audit table, apart from the case, written in the same transaction', async () => {
    const tableName = await dynamo.freshTable();
    const auditTableName = auditTableNameFor(tableName);
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableName);
    const { record, agencies } = aCase();

    await store.createCase(record, agencies, opened());
    await store.updateCase(
      record,
      { status: 'awaiting-summaries' },
      { ...opened(), action: 'x', reason: 'y' },
    );

    const partition = (TableName: string) =>
      dynamo.documentClient.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CASE#${record.caseId}` },
        }),
      );
    const inCaseTable = (await partition(tableName)).Items ?? [];
    const inAuditTable = (await partition(auditTableName)).Items ?? [];
    expect(inCaseTable.filter((item) => String(item.sk).startsWith('AUDIT#'))).toEqual([]);
    expect(inAuditTable.map((item) => item.action)).toEqual(expect.arrayContaining(['case.opened', 'x']));
    expect(inAuditTable.every((item) => String(item.sk).startsWith('AUDIT#'))).toBe(true);
    expect((await store.getCaseFile(record.caseId)).audit.map((event) => event.action)).toEqual([
      'case.opened',
      'x',
    ]);
  });
});
