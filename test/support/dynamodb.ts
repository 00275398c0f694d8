import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { auditTableNameFor, createCaseTable } from '../../local/case-table.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import './provided-context.ts';

/**
 * The run's shared DynamoDB Local (started once by test/support/dynamodb.global-setup.ts) for
 * the calling test file. Each call to `freshTable()` makes a new, empty table so tests never
 * see each other's items, nor another file's; the file's tables are deleted after it.
 */
export function useDynamoDbLocal() {
  let client: DynamoDBClient | undefined;
  const tables: string[] = [];
  const context = {
    get client(): DynamoDBClient {
      if (!client) throw new Error('DynamoDB Local is not connected yet: use it inside a test or a hook');
      return client;
    },
    get documentClient(): DynamoDBDocumentClient {
      return DynamoDBDocumentClient.from(context.client, {
        marshallOptions: { removeUndefinedValues: true },
      });
    },
    get endpoint(): string {
      return sharedDynamoDbEndpoint();
    },
    /** A new, empty case table, with its audit table beside it (`auditTableNameFor`). */
    async freshTable(): Promise<string> {
      const tableName = `cases-${randomUUID()}`;
      await createCaseTable(context.client, tableName);
      tables.push(tableName, auditTableNameFor(tableName));
      return tableName;
    },
  };
  beforeAll(() => {
    client = new DynamoDBClient(localClientConfig(sharedDynamoDbEndpoint()));
  });
  afterAll(async () => {
    const made = tables.splice(0);
    await Promise.all(made.map((TableName) => client?.send(new DeleteTableCommand({ TableName }))));
    client?.destroy();
  });
  return context;
}

/** The endpoint of the run's shared DynamoDB Local; fails clearly in a project without that global setup. */
export function sharedDynamoDbEndpoint(): string {
  const endpoint = inject('dynamodbEndpoint');
  if (!endpoint) {
    throw new Error(
      'No shared DynamoDB Local: this test file belongs in a vitest project whose globalSetup is test/support/dynamodb.global-setup.ts',
    );
  }
  return endpoint;
}
