import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { StaleWriteError } from '../errors.ts';
import {
  type FactualAccuracyLink,
  factualAccuracyLink,
  type LocalReviewDrafts,
  localReviewDrafts,
} from '../schemas/local-review-drafts.ts';
import { auditEventPut, type TransactItems, transactAudited } from './audited-transaction.ts';
import type { AuditInput } from './case-store.ts';
import { auditEventOf } from './local-review-store.ts';
import { onAuditedTables } from './on-audited-tables.ts';

/** What a change to a review's drafts record writes besides the record: new factual-accuracy links. */
export interface NewFactualAccuracyLink {
  tokenHash: string;
  link: FactualAccuracyLink;
}

/**
 * A local review's work in writing (learning events, family plan, supervision, drafts,
 * factual-accuracy rounds, quality checklists): one item `LCSPR#<reviewId>` / `DRAFTS` in the
 * case table, each change written with its audit event (on the review's trail) in one
 * transaction at the version read; factual-accuracy links under `LCSPR-LINK#<tokenHash>` / `LINK`.
 */
export interface LocalReviewDraftsStore {
  /** The record, or an empty one at version 0 when nothing is recorded yet. */
  getDrafts(reviewId: string): Promise<LocalReviewDrafts>;
  /** A StaleWriteError when it changed since `current` was read. */
  saveDrafts(
    current: LocalReviewDrafts,
    next: Omit<LocalReviewDrafts, 'version' | 'reviewId'>,
    audit: AuditInput,
    links?: readonly NewFactualAccuracyLink[],
  ): Promise<LocalReviewDrafts>;
  findFactualAccuracyLink(tokenHash: string): Promise<FactualAccuracyLink | undefined>;
}

const draftsKey = (reviewId: string) => ({ pk: `LCSPR#${reviewId}`, sk: 'DRAFTS' });
const linkKey = (tokenHash: string) => ({ pk: `LCSPR-LINK#${tokenHash}`, sk: 'LINK' });

export const emptyDrafts = (reviewId: string): LocalReviewDrafts =>
  localReviewDrafts.parse({ reviewId, version: 0 });

/** The drafts store on the case table and the audit table. */
export class DynamoDbLocalReviewDraftsStore implements LocalReviewDraftsStore {
  readonly #client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async getDrafts(reviewId: string): Promise<LocalReviewDrafts> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: draftsKey(reviewId), ConsistentRead: true }),
    );
    if (!Item) return emptyDrafts(reviewId);
    const { pk: _pk, sk: _sk, ...rest } = Item;
    return localReviewDrafts.parse(rest);
  }

  async saveDrafts(
    current: LocalReviewDrafts,
    next: Omit<LocalReviewDrafts, 'version' | 'reviewId'>,
    audit: AuditInput,
    links: readonly NewFactualAccuracyLink[] = [],
  ): Promise<LocalReviewDrafts> {
    const saved = localReviewDrafts.parse({
      ...next,
      reviewId: current.reviewId,
      version: current.version + 1,
    });
    const event = auditEventOf(current.reviewId, audit);
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...draftsKey(current.reviewId), ...saved },
          ...(current.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': current.version },
              }),
        },
      },
      auditEventPut(
        this.auditTableName,
        { pk: `LCSPR#${current.reviewId}`, sk: `AUDIT#${event.eventId}` },
        event,
      ),
      ...links.map(({ tokenHash, link }) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...linkKey(tokenHash), ...factualAccuracyLink.parse(link) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    ];
    await transactAudited(
      this.#client,
      items,
      [1],
      () =>
        new StaleWriteError(`The drafts of local review ${current.reviewId} changed since they were read`),
    );
    return saved;
  }

  async findFactualAccuracyLink(tokenHash: string): Promise<FactualAccuracyLink | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: linkKey(tokenHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = Item;
    return factualAccuracyLink.parse(rest);
  }
}

/** The drafts store on the tables the environment names, made once per container (and tables). */
export const localReviewDraftsStoreFromEnvironment: () => LocalReviewDraftsStore = onAuditedTables(
  (client, tableName, auditTableName) =>
    new DynamoDbLocalReviewDraftsStore(client, tableName, auditTableName),
);
