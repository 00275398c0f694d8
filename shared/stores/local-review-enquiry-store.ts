import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DuplicateWriteError, StaleWriteError } from '../errors.ts';
import {
  type ChronologyEntry,
  chronologyEntry,
  type LocalReviewEnquiry,
  localReviewEnquiry,
} from '../schemas/local-review-enquiry.ts';
import { auditEventPut, type TransactItems, transactAudited } from './audited-transaction.ts';
import type { AuditInput } from './case-store.ts';
import { nextWriteOrder } from './case-store.ts';
import { auditEventOf } from './local-review-store.ts';
import { onAuditedTables } from './on-audited-tables.ts';

/** What a change to the enquiry's item writes: its declarations and requests. */
export type EnquiryChanges = Pick<LocalReviewEnquiry, 'declarations' | 'informationRequests'>;

/**
 * A local review's enquiry (declarations, requests for information, the merged chronology), apart
 * from the review's own item so that none of it races the workflow's changes to the review: the
 * declarations and requests on one item `LCSPR#<reviewId>` / `ENQUIRY`, changed at the version
 * read; each chronology entry an item of its own, `LCSPR#<reviewId>` /
 * `ENQUIRY#CHRONOLOGY#<addedAt>#<entryId>` (with its write order, which orders entries added in
 * the same instant), only ever added, so that agencies adding
 * entries never conflict with each other or with the requests, and no item grows with the
 * chronology. The sort keys share the prefix `ENQUIRY`, so one Query reads the whole enquiry.
 * Each write goes with its audit event (on the review's trail) in one transaction.
 */
export interface LocalReviewEnquiryStore {
  /** The enquiry, or an empty one at version 0 when nothing is recorded yet; the entries in the order added. */
  getEnquiry(reviewId: string): Promise<LocalReviewEnquiry>;
  /** A StaleWriteError when it changed since `current` was read; a DuplicateWriteError when the audit event was written before. */
  saveEnquiry(
    current: LocalReviewEnquiry,
    changes: EnquiryChanges,
    audit: AuditInput,
  ): Promise<LocalReviewEnquiry>;
  /** Adds one entry to the chronology; a DuplicateWriteError when it, or the audit event, was written before. */
  addChronologyEntry(reviewId: string, entry: ChronologyEntry, audit: AuditInput): Promise<void>;
}

const ENQUIRY = 'ENQUIRY';
const CHRONOLOGY = `${ENQUIRY}#CHRONOLOGY#`;
const partition = (reviewId: string) => `LCSPR#${reviewId}`;

export const emptyEnquiry = (reviewId: string): LocalReviewEnquiry =>
  localReviewEnquiry.parse({ reviewId, version: 0 });

/** The enquiry store on the case table and the audit table. */
export class DynamoDbLocalReviewEnquiryStore implements LocalReviewEnquiryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async getEnquiry(reviewId: string): Promise<LocalReviewEnquiry> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :enquiry)',
          ExpressionAttributeValues: { ':pk': partition(reviewId), ':enquiry': ENQUIRY },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const record = items.find((item) => item.sk === ENQUIRY);
    const entries = items
      .filter((item) => String(item.sk).startsWith(CHRONOLOGY))
      .sort(
        (a, b) =>
          String(a.addedAt).localeCompare(String(b.addedAt)) ||
          String(a.writeOrder ?? '').localeCompare(String(b.writeOrder ?? '')),
      )
      .map(({ pk: _pk, sk: _sk, writeOrder: _order, ...entry }) => chronologyEntry.parse(entry));
    if (!record) return { ...emptyEnquiry(reviewId), chronology: entries };
    const { pk: _pk, sk: _sk, ...rest } = record;
    return localReviewEnquiry.parse({ ...rest, reviewId, chronology: entries });
  }

  async saveEnquiry(
    current: LocalReviewEnquiry,
    changes: EnquiryChanges,
    audit: AuditInput,
  ): Promise<LocalReviewEnquiry> {
    const saved = localReviewEnquiry.parse({
      ...current,
      ...changes,
      version: current.version + 1,
    });
    const { chronology: _chronology, ...stored } = saved;
    await this.#transact(
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: partition(current.reviewId), sk: ENQUIRY, ...stored },
          ...(current.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': current.version },
              }),
        },
      },
      current.reviewId,
      audit,
      () => new StaleWriteError(`The enquiry of local review ${current.reviewId} changed since it was read`),
    );
    return saved;
  }

  async addChronologyEntry(reviewId: string, entry: ChronologyEntry, audit: AuditInput): Promise<void> {
    const valid = chronologyEntry.parse(entry);
    await this.#transact(
      {
        Put: {
          TableName: this.tableName,
          Item: {
            pk: partition(reviewId),
            sk: `${CHRONOLOGY}${valid.addedAt}#${valid.entryId}`,
            ...valid,
            writeOrder: nextWriteOrder(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      reviewId,
      audit,
      () => new DuplicateWriteError('This entry was already added'),
    );
  }

  /** The write and its audit event in one transaction: the event written before is a DuplicateWriteError, the write's condition `onConflict`'s error. */
  async #transact(
    write: TransactItems[number],
    reviewId: string,
    audit: AuditInput,
    onConflict: () => Error,
  ) {
    const event = auditEventOf(reviewId, audit);
    await transactAudited(
      this.#client,
      [
        write,
        auditEventPut(this.auditTableName, { pk: partition(reviewId), sk: `AUDIT#${event.eventId}` }, event),
      ],
      [1],
      onConflict,
    );
  }
}

/** The enquiry store on the tables the environment names, made once per container (and tables). */
export const localReviewEnquiryStoreFromEnvironment: () => LocalReviewEnquiryStore = onAuditedTables(
  (client, tableName, auditTableName) =>
    new DynamoDbLocalReviewEnquiryStore(client, tableName, auditTableName),
);
