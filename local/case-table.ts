import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';

/** The audit table the local stack and tests keep beside a case table: `<case table>-audit`. */
export function auditTableNameFor(caseTableName: string): string {
  return `${caseTableName}-audit`;
}

/** Both tables' primary key: `pk` (partition) and `sk` (sort), both strings. */
const PRIMARY_KEY = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
} as const satisfies Partial<CreateTableCommandInput>;

/** Creates a table on demand billing; one already there is fine. */
async function createTableIfAbsent(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...input }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/**
 * Creates the case table with the same keys and index as the CDK data stack
 * (infra/stacks/data-stack.ts), and the audit table beside it (`auditTableNameFor`), for the
 * local stack and tests. Already there is fine.
 */
export async function createCaseTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createAuditTable(client, auditTableNameFor(tableName));
  await createTableIfAbsent(client, {
    TableName: tableName,
    AttributeDefinitions: [
      ...PRIMARY_KEY.AttributeDefinitions,
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
      { AttributeName: 'gsi2pk', AttributeType: 'S' },
      { AttributeName: 'gsi2sk', AttributeType: 'S' },
    ],
    KeySchema: [...PRIMARY_KEY.KeySchema],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      // The month index (issue 14): a case and its agency requests by the month it was notified.
      {
        IndexName: 'gsi2',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
}

/**
 * Adds the month index (gsi2, issue 14) to a case table made before it existed (a local stack's
 * data directory from an older version), and waits until it is active. Answers whether it added it.
 */
export async function ensureMonthIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (described.Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === 'gsi2')) return false;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    }),
  );
  for (let attempt = 0; attempt < 120; attempt++) {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = table.Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === 'gsi2');
    if (index?.IndexStatus === 'ACTIVE') return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The month index of ${tableName} did not become active`);
}

/** Creates the append-only audit table as the CDK data stack does: `pk`, `sk`, no index, no TTL. */
export async function createAuditTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTableIfAbsent(client, {
    TableName: tableName,
    AttributeDefinitions: [...PRIMARY_KEY.AttributeDefinitions],
    KeySchema: [...PRIMARY_KEY.KeySchema],
  });
}
