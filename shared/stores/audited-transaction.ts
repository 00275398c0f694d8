import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateWriteError } from '../errors.ts';
import type { AuditEvent } from '../schemas/case.ts';
import { nextWriteOrder } from './case-store.ts';

/** The items of one DynamoDB transaction. */
export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * An audit event's put: only ever put, on the condition that it is new, so a retried change
 * (the same event id) fails on it and is known for a repeat rather than a conflict.
 */
export function auditEventPut(auditTableName: string, key: { pk: string; sk: string }, event: AuditEvent) {
  return {
    Put: {
      TableName: auditTableName,
      Item: { ...key, ...event, writeOrder: nextWriteOrder() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * A change written with its audit event in one transaction. A failed condition on an item at
 * `duplicateIndexes` (the audit event, or an item that may exist only once) means the change
 * was already recorded: a DuplicateWriteError. Any other failed condition is `onConflict`'s
 * error (someone changed the record since it was read). Anything else is thrown as it came.
 */
export async function transactAudited(
  client: DynamoDBDocumentClient,
  items: TransactItems,
  duplicateIndexes: readonly number[],
  onConflict: () => Error,
): Promise<void> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const failed = (error.CancellationReasons ?? []).map(
      (reason) => reason.Code === 'ConditionalCheckFailed',
    );
    if (!failed.some(Boolean)) throw error;
    if (duplicateIndexes.some((index) => failed[index] === true)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    throw onConflict();
  }
}
