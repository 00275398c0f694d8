import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { requireEnv } from '../env.ts';

/**
 * A store on the case table and the audit table the environment names (`tableName`,
 * `auditTableName`): made once per container, and made again should the names change (the
 * tests point the environment at fresh tables).
 */
export function onAuditedTables<Store>(
  make: (client: DynamoDBDocumentClient, tableName: string, auditTableName: string) => Store,
): () => Store {
  let made: { tables: string; store: Store } | undefined;
  return () => {
    const tableName = requireEnv('tableName');
    const auditTableName = requireEnv('auditTableName');
    const tables = `${tableName} ${auditTableName}`;
    if (made?.tables !== tables)
      made = { tables, store: make(dynamoDocumentClient(), tableName, auditTableName) };
    return made.store;
  };
}
