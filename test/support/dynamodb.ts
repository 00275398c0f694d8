import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createCaseTable } from '../../local/case-table.ts';
import { localClientConfig, type RunningDynamoDb, startDynamoDbLocal } from '../../local/dynamodb-local.ts';

/**
 * Starts DynamoDB Local for the calling test file and stops it afterwards. Each call to
 * `freshTable()` makes a new, empty table so tests never see each other's items.
 */
export function useDynamoDbLocal() {
  let dynamo: RunningDynamoDb | undefined;
  let client: DynamoDBClient | undefined;
  const context = {
    get client(): DynamoDBClient {
      if (!client) throw new Error('DynamoDB Local is not started yet');
      return client;
    },
    get documentClient(): DynamoDBDocumentClient {
      return DynamoDBDocumentClient.from(context.client, {
        marshallOptions: { removeUndefinedValues: true },
      });
    },
    get endpoint(): string {
      if (!dynamo) throw new Error('DynamoDB Local is not started yet');
      return dynamo.endpoint;
    },
    async freshTable(): Promise<string> {
      const tableName = `cases-${randomUUID()}`;
      await createCaseTable(context.client, tableName);
      return tableName;
    },
  };
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });
  return context;
}
