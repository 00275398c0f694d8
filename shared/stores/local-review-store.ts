import { createHash, randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateWriteError, StaleWriteError } from '../errors.ts';
import { type AuditEvent, auditEvent } from '../schemas/case.ts';
import { type LocalReview, localReview } from '../schemas/local-review.ts';
import { auditEventPut, type TransactItems, transactAudited } from './audited-transaction.ts';
import type { AuditInput } from './case-store.ts';
import { onAuditedTables } from './on-audited-tables.ts';

/** Fields of a local review that change after it is commissioned (the enquiry has its own store). */
export type LocalReviewChanges = Partial<
  Omit<
    LocalReview,
    | 'reviewId'
    | 'version'
    | 'createdAt'
    | 'updatedAt'
    | 'reference'
    | 'fromCase'
    | 'declarations'
    | 'informationRequests'
    | 'chronology'
  >
>;

/** The callback a local review's workflow waits on, by what it waits for. */
export type LocalReviewTokenKind = 'completion' | 'publication';

/**
 * Local Child Safeguarding Practice Reviews (issue 13), kept in the case table beside the cases:
 * the review under `LCSPR#<reviewId>` / `LCSPR`, a pointer from its Rapid Review
 * (`CASE#<caseId>` / `LOCAL-REVIEW`, so a case has at most one), the workflow's callback tokens
 * (`LCSPR#<reviewId>` / `TOKEN#<kind>`); its audit trail in the audit table under
 * `LCSPR#<reviewId>` (each event's `caseId` is the review's id). Every change is written with
 * its audit event in one transaction.
 */
export interface LocalReviewStore {
  /**
   * Writes a new review, its source's pointer to it (its Rapid Review's, or its Practice Review
   * Group referral's), its first audit event and, for a Rapid Review, the case's own
   * (`caseAudit`), or nothing: a DuplicateWriteError when the source already has a local review,
   * or this very change was written before.
   */
  commissionLocalReview(review: LocalReview, audit: AuditInput, caseAudit?: AuditInput): Promise<LocalReview>;
  getLocalReview(reviewId: string): Promise<LocalReview | undefined>;
  /** The id of the local review commissioned from a Rapid Review, if there is one. */
  findLocalReviewOfCase(caseId: string): Promise<string | undefined>;
  /** The id of the local review commissioned from a Practice Review Group referral, if there is one. */
  findLocalReviewOfReferral(referralId: string): Promise<string | undefined>;
  /** A StaleWriteError when the review changed since it was read; a DuplicateWriteError when the audit event was written before. */
  updateLocalReview(
    current: LocalReview,
    changes: LocalReviewChanges,
    audit: AuditInput,
  ): Promise<LocalReview>;
  /** The review's audit trail, oldest first. */
  getLocalReviewAudit(reviewId: string): Promise<AuditEvent[]>;
  /** Keeps the workflow's current callback token for `kind`, replacing any earlier one. */
  saveLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
    taskToken: string,
    attempt: number,
  ): Promise<void>;
  getLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
  ): Promise<{ taskToken: string; attempt: number } | undefined>;
  /**
   * The reviews whose recorded reviewer has this email (any case), oldest commissioned first:
   * what a signed-in reviewer may see. Kept by a pointer per reviewer
   * (`REVIEWER#<hash of the email>` / `LCSPR#<reviewId>`), moved with the reviewer when it changes.
   */
  listLocalReviewsOfReviewer(email: string): Promise<LocalReview[]>;
  /**
   * Every local review, newest commissioned first: one query of the list index (`gsi1` under
   * `LOCAL-REVIEWS`, sorted by when each was commissioned), never a scan. Each review carries
   * its index key from when it is written; a review stored before the key was kept is listed
   * once it next changes.
   */
  listLocalReviews(): Promise<LocalReview[]>;
}

/** The pointer's partition: a hash of the reviewer's email, so no address is a key. */
export function reviewerPartition(email: string): string {
  return `REVIEWER#${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex')}`;
}

const reviewKey = (reviewId: string) => ({ pk: `LCSPR#${reviewId}`, sk: 'LCSPR' });

/** The list index's partition: every local review, under one key (a partnership has a handful a year). */
export const LOCAL_REVIEW_LIST_KEY = 'LOCAL-REVIEWS';

/** A review's entry in the list index (gsi1): newest commissioned last in key order, the id breaking ties. */
const listIndexKey = (review: Pick<LocalReview, 'commissionedAt' | 'reviewId'>) => ({
  gsi1pk: LOCAL_REVIEW_LIST_KEY,
  gsi1sk: `${review.commissionedAt}#${review.reviewId}`,
});
const pointerKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'LOCAL-REVIEW' });
const referralPointerKey = (referralId: string) => ({ pk: `PRG#${referralId}`, sk: 'LOCAL-REVIEW' });

/** Where a review's source points to it: its Rapid Review's case, or its referral. */
function sourcePointerKey(review: LocalReview): { pk: string; sk: string } {
  if (review.fromCase) return pointerKey(review.fromCase.caseId);
  if (review.fromReferral) return referralPointerKey(review.fromReferral.referralId);
  throw new Error('A local review comes from a Rapid Review or a referral');
}
const tokenKey = (reviewId: string, kind: LocalReviewTokenKind) => ({
  pk: `LCSPR#${reviewId}`,
  sk: `TOKEN#${kind}`,
});
const reviewAuditKey = (reviewId: string, eventId: string) => ({
  pk: `LCSPR#${reviewId}`,
  sk: `AUDIT#${eventId}`,
});
const caseAuditKey = (caseId: string, eventId: string) => ({ pk: `CASE#${caseId}`, sk: `AUDIT#${eventId}` });

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, writeOrder: _order, gsi1pk: _gpk, gsi1sk: _gsk, ...rest } = item;
  return rest;
}

/** An audit event from its input: `caseId` is whose trail it is on (a case's, or a review's). */
export function auditEventOf(ownerId: string, audit: AuditInput): AuditEvent {
  return auditEvent.parse({
    ...audit,
    caseId: ownerId,
    eventId: audit.eventId ?? `${audit.at}-${randomUUID()}`,
  });
}

/** The local review store on the case table and the append-only audit table. */
export class DynamoDbLocalReviewStore implements LocalReviewStore {
  readonly #client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async commissionLocalReview(
    review: LocalReview,
    audit: AuditInput,
    caseAudit?: AuditInput,
  ): Promise<LocalReview> {
    const valid = localReview.parse(review);
    const event = auditEventOf(valid.reviewId, audit);
    const fromCase = valid.fromCase;
    const caseEvent = fromCase && caseAudit ? auditEventOf(fromCase.caseId, caseAudit) : undefined;
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...sourcePointerKey(valid), reviewId: valid.reviewId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...reviewKey(valid.reviewId), ...listIndexKey(valid), ...valid },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditEventPut(this.auditTableName, reviewAuditKey(valid.reviewId, event.eventId), event),
        ...(fromCase && caseEvent
          ? [auditEventPut(this.auditTableName, caseAuditKey(fromCase.caseId, caseEvent.eventId), caseEvent)]
          : []),
      ],
      // The source's pointer exists: it has a local review already, which is the same refusal.
      [0, 2, 3],
      () => new DuplicateWriteError(`Local review ${valid.reviewId} already exists`),
    );
    return valid;
  }

  async getLocalReview(reviewId: string): Promise<LocalReview | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: reviewKey(reviewId), ConsistentRead: true }),
    );
    return Item ? localReview.parse(withoutKeys(Item)) : undefined;
  }

  async findLocalReviewOfCase(caseId: string): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: pointerKey(caseId), ConsistentRead: true }),
    );
    return typeof Item?.reviewId === 'string' ? Item.reviewId : undefined;
  }

  async findLocalReviewOfReferral(referralId: string): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: referralPointerKey(referralId),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.reviewId === 'string' ? Item.reviewId : undefined;
  }

  async updateLocalReview(
    current: LocalReview,
    changes: LocalReviewChanges,
    audit: AuditInput,
  ): Promise<LocalReview> {
    const next = localReview.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    const event = auditEventOf(current.reviewId, audit);
    const before = current.reviewer?.email.toLowerCase();
    const after = next.reviewer?.email.toLowerCase();
    const reviewerPointers: TransactItems = [];
    if (before !== after) {
      const sk = `LCSPR#${next.reviewId}`;
      if (before)
        reviewerPointers.push({
          Delete: { TableName: this.tableName, Key: { pk: reviewerPartition(before), sk } },
        });
      if (after)
        reviewerPointers.push({
          Put: {
            TableName: this.tableName,
            Item: {
              pk: reviewerPartition(after),
              sk,
              reviewId: next.reviewId,
              commissionedAt: next.commissionedAt,
            },
          },
        });
    }
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...reviewKey(next.reviewId), ...listIndexKey(next), ...next },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        auditEventPut(this.auditTableName, reviewAuditKey(current.reviewId, event.eventId), event),
        ...reviewerPointers,
      ],
      [1],
      () =>
        new StaleWriteError(
          `The local review ${current.reviewId} changed since it was read, or does not exist`,
        ),
    );
    return next;
  }

  async getLocalReviewAudit(reviewId: string): Promise<AuditEvent[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.auditTableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LCSPR#${reviewId}` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items
      .sort(
        (a, b) =>
          String(a.at).localeCompare(String(b.at)) ||
          String(a.writeOrder ?? '').localeCompare(String(b.writeOrder ?? '')),
      )
      .map((item) => auditEvent.parse(withoutKeys(item)));
  }

  async saveLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
    taskToken: string,
    attempt: number,
  ): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...tokenKey(reviewId, kind), taskToken, attempt },
      }),
    );
  }

  async getLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
  ): Promise<{ taskToken: string; attempt: number } | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: tokenKey(reviewId, kind), ConsistentRead: true }),
    );
    return Item ? { taskToken: String(Item.taskToken), attempt: Number(Item.attempt) } : undefined;
  }

  async listLocalReviewsOfReviewer(email: string): Promise<LocalReview[]> {
    const ids: string[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': reviewerPartition(email) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => String(item.reviewId)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const reviews = await Promise.all(ids.map((id) => this.getLocalReview(id)));
    const wanted = email.trim().toLowerCase();
    return reviews
      .filter((review): review is LocalReview => review?.reviewer?.email.toLowerCase() === wanted)
      .sort((a, b) => a.commissionedAt.localeCompare(b.commissionedAt));
  }

  async listLocalReviews(): Promise<LocalReview[]> {
    const reviews: LocalReview[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :list',
          ExpressionAttributeValues: { ':list': LOCAL_REVIEW_LIST_KEY },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      reviews.push(...(page.Items ?? []).map((item) => localReview.parse(withoutKeys(item))));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return reviews;
  }
}

/** The local review store on the tables the environment names, made once per container (and tables). */
export const localReviewStoreFromEnvironment: () => LocalReviewStore = onAuditedTables(
  (client, tableName, auditTableName) => new DynamoDbLocalReviewStore(client, tableName, auditTableName),
);
