import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { requireEnv } from '../env.ts';

/**
 * Sessions ended on the server. A session cookie is signed, not stored, so signing out cannot
 * take it back from a browser (or from whoever copied it); instead sign-out records the
 * session's id here until the cookie would have expired anyway, and every page request with a
 * session asks whether it was revoked.
 */
export interface SessionRevocations {
  /** Records that the session has ended; kept at least until `until`, the cookie's own expiry. */
  revoke(sessionId: string, until: Date): Promise<void>;
  /** Whether the session was revoked: one consistent read. */
  isRevoked(sessionId: string): Promise<boolean>;
}

/** Kept a day past the session's expiry: the table's TTL removes it some time after that. */
const KEEP_AFTER_EXPIRY_SECONDS = 24 * 3600;
const revocationKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'REVOKED' });

/** Revocations in the case table (`SESSION#<id>`, `REVOKED`), each removed by the table's TTL (`expiresAtEpoch`). */
export class DynamoDbSessionRevocations implements SessionRevocations {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async revoke(sessionId: string, until: Date): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          ...revocationKey(sessionId),
          revokedUntil: until.toISOString(),
          expiresAtEpoch: Math.floor(until.getTime() / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
        },
      }),
    );
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: revocationKey(sessionId),
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    return Item !== undefined;
  }
}

let revocations: { tableName: string; store: DynamoDbSessionRevocations } | undefined;

/** The revocations in the table the environment names, made once per container (and table). */
export function sessionRevocationsFromEnvironment(): SessionRevocations {
  const tableName = requireEnv('tableName');
  if (revocations?.tableName !== tableName)
    revocations = { tableName, store: new DynamoDbSessionRevocations(dynamoDocumentClient(), tableName) };
  return revocations.store;
}
