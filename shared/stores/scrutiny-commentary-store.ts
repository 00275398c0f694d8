import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { requireEnv } from '../env.ts';
import { StaleWriteError } from '../errors.ts';
import { isoInstant, nonEmpty, text, wholeNumber } from '../schemas/primitives.ts';
import type { Actor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';

/** The most a commentary may hold, in characters. */
export const COMMENTARY_MAX = 10_000;

/** What the scrutineer writes: the commentary on a period's report. */
export const commentaryAnswers = z.object({ commentary: text(COMMENTARY_MAX, { multiline: true }) });

/** The scrutineer's commentary on one six-monthly report (issue 14 part 3), as stored. */
export const scrutinyCommentary = z.object({
  /** The half-year, `2026-H1`. */
  period: z.string().check(z.regex(/^\d{4}-H[12]$/)),
  commentary: text(COMMENTARY_MAX, { multiline: true }),
  version: wholeNumber(1),
  savedAt: isoInstant,
  savedBy: nonEmpty(),
  savedByName: z.optional(nonEmpty()),
});
export type ScrutinyCommentary = z.infer<typeof scrutinyCommentary>;

/**
 * The scrutineer's commentaries, one a half-year, in the case table under `SCRUTINY#<period>` /
 * `COMMENTARY`; each save's audit event in the audit table under `SCRUTINY#<period>`, written in
 * the same transaction (who, when, and the commentary's length: the text is the item's).
 */
export interface ScrutinyCommentaryStore {
  getCommentary(period: string): Promise<ScrutinyCommentary | undefined>;
  /**
   * Saves the commentary over `expectedVersion` (0: none yet): a StaleWriteError when someone
   * saved another meanwhile.
   */
  saveCommentary(input: {
    period: string;
    commentary: string;
    expectedVersion: number;
    actor: Extract<Actor, { kind: 'staff' }>;
    at: string;
  }): Promise<ScrutinyCommentary>;
}

const commentaryKey = (period: string) => ({ pk: `SCRUTINY#${period}`, sk: 'COMMENTARY' });

export function nextCommentary(input: Parameters<ScrutinyCommentaryStore['saveCommentary']>[0]) {
  return scrutinyCommentary.parse({
    period: input.period,
    commentary: input.commentary,
    version: input.expectedVersion + 1,
    savedAt: input.at,
    savedBy: input.actor.id,
    ...(input.actor.name ? { savedByName: input.actor.name } : {}),
  });
}

export class DynamoDbScrutinyCommentaryStore implements ScrutinyCommentaryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#auditTableName = auditTableName;
  }

  async getCommentary(period: string): Promise<ScrutinyCommentary | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: commentaryKey(period), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = Item;
    return scrutinyCommentary.parse(rest);
  }

  async saveCommentary(input: Parameters<ScrutinyCommentaryStore['saveCommentary']>[0]) {
    const next = nextCommentary(input);
    const eventId = `${input.at}-${randomUUID()}`;
    try {
      await this.#client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: { ...commentaryKey(next.period), ...next },
                ...(input.expectedVersion === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': input.expectedVersion },
                    }),
              },
            },
            {
              Put: {
                TableName: this.#auditTableName,
                Item: {
                  pk: `SCRUTINY#${next.period}`,
                  sk: `AUDIT#${eventId}`,
                  eventId,
                  at: input.at,
                  actor: input.actor,
                  action: 'scrutiny.commentary-saved',
                  reason: 'The scrutineer saved the commentary on the six-monthly report',
                  details: { version: next.version, characters: next.commentary.length },
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new StaleWriteError(`The commentary on ${input.period} changed since it was read`);
      throw error;
    }
    return next;
  }
}

let store: { tableName: string; store: ScrutinyCommentaryStore } | undefined;

export function scrutinyCommentaryStoreFromEnvironment(): ScrutinyCommentaryStore {
  const tableName = requireEnv('tableName');
  if (store?.tableName !== tableName)
    store = {
      tableName,
      store: new DynamoDbScrutinyCommentaryStore(
        dynamoDocumentClient(),
        tableName,
        requireEnv('auditTableName'),
      ),
    };
  return store.store;
}
