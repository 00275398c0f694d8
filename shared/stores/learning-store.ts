import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateWriteError, StaleWriteError } from '../errors.ts';
import type { AuditEvent } from '../schemas/case.ts';
import {
  type ActionLink,
  type ActionStatus,
  actionLink,
  type LearningAction,
  learningAction,
  type ReviewKind,
  type ReviewLearning,
  reviewLearning,
  type ThemedReview,
  themedReview,
} from '../schemas/learning.ts';
import { auditEventPut, type TransactItems, transactAudited } from './audited-transaction.ts';
import type { AuditInput } from './case-store.ts';
import { auditEventOf } from './local-review-store.ts';
import { onAuditedTables } from './on-audited-tables.ts';

/** Fields of an action that change after it is created. */
export type ActionChanges = Partial<
  Omit<
    LearningAction,
    | 'actionId'
    | 'reviewKind'
    | 'reviewId'
    | 'reviewReference'
    | 'number'
    | 'version'
    | 'createdAt'
    | 'createdBy'
  >
>;

/** A review's learning as a writer gives it: the store sets its version and time. */
export type ReviewLearningInput = Omit<ReviewLearning, 'version' | 'updatedAt'>;

/** Due dates from, to (inclusive, YYYY-MM-DD), either end open. */
export interface DueRange {
  dueFrom?: string;
  dueTo?: string;
}

/**
 * Learning themes, learning points and action plans (issue 14 parts 1 and 2), in the case table:
 *
 * - a review's learning: `LEARNING#<kind>#<reviewId>` / `THEMES` (its themes and learning points);
 * - each theme's reviews, so that "earlier reviews sharing this theme" and "themes most seen" are
 *   a query of one partition each, never a scan: `THEME#<theme>` / `<reviewedOn>#<kind>#<reviewId>`;
 * - each action: `LEARNING#<kind>#<reviewId>` / `ACTION#<actionId>`, so a review's actions are one
 *   query; and on the `gsi1` index under `ACTIONS#<status>` sorted by `<dueOn>#<actionId>`, so the
 *   open actions (three statuses), the overdue ones (a due-date range) and the verified are each a
 *   query of the index;
 * - an action owner's link: `ACTION-LINK#<tokenHash>` / `ACTION-LINK` (expiring by TTL).
 *
 * Every change is written with its audit event on the review's own trail in the audit table (a
 * Rapid Review's `CASE#<caseId>`, a local review's `LCSPR#<reviewId>`), in one transaction.
 */
export interface LearningStore {
  getReviewLearning(kind: ReviewKind, reviewId: string): Promise<ReviewLearning | undefined>;
  /**
   * Writes a review's learning and moves its entries in the themes' partitions with it: new when
   * `expectedVersion` is undefined (a DuplicateWriteError if it exists), else only while the
   * stored version is `expectedVersion` (a StaleWriteError).
   */
  saveReviewLearning(
    learning: ReviewLearningInput,
    expectedVersion: number | undefined,
    audit: AuditInput,
  ): Promise<ReviewLearning>;
  /** The reviews tagged with a theme, newest first; only those dated before `before` when given. */
  listReviewsWithTheme(theme: string, options?: { before?: string; limit?: number }): Promise<ThemedReview[]>;
  /** How many reviews are tagged with a theme (a count query of its partition). */
  countReviewsWithTheme(theme: string): Promise<number>;
  /** A new action with its audit event; a DuplicateWriteError when it exists. */
  createAction(action: LearningAction, audit: AuditInput): Promise<LearningAction>;
  getAction(kind: ReviewKind, reviewId: string, actionId: string): Promise<LearningAction | undefined>;
  /** A review's actions, by number. */
  listReviewActions(kind: ReviewKind, reviewId: string): Promise<LearningAction[]>;
  /** A StaleWriteError when the action changed since it was read. */
  updateAction(current: LearningAction, changes: ActionChanges, audit: AuditInput): Promise<LearningAction>;
  /** Every action with a status, by due date (then id); only those due within `range` when given. */
  listActionsByStatus(status: ActionStatus, range?: DueRange): Promise<LearningAction[]>;
  /** Stores an action owner's link by its hash, with its audit event. */
  putActionLink(link: ActionLink, audit: AuditInput): Promise<void>;
  findActionLink(tokenHash: string): Promise<ActionLink | undefined>;
}

/** The audit trail a review's events are written to (and the `caseId` of each event). */
export const auditOwnerKey = (kind: ReviewKind, reviewId: string) =>
  kind === 'rapid-review' ? `CASE#${reviewId}` : `LCSPR#${reviewId}`;

const learningKey = (kind: ReviewKind, reviewId: string) => ({
  pk: `LEARNING#${kind}#${reviewId}`,
  sk: 'THEMES',
});
const themeKeyOf = (theme: string, reviewedOn: string, kind: ReviewKind, reviewId: string) => ({
  pk: `THEME#${theme}`,
  sk: `${reviewedOn}#${kind}#${reviewId}`,
});
const actionKey = (kind: ReviewKind, reviewId: string, actionId: string) => ({
  pk: `LEARNING#${kind}#${reviewId}`,
  sk: `ACTION#${actionId}`,
});
const actionIndexKeys = (action: LearningAction) => ({
  gsi1pk: `ACTIONS#${action.status}`,
  gsi1sk: `${action.dueOn}#${action.actionId}`,
});
const linkKey = (tokenHash: string) => ({ pk: `ACTION-LINK#${tokenHash}`, sk: 'ACTION-LINK' });

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _gpk,
    gsi1sk: _gsk,
    writeOrder: _order,
    expiresAtEpoch: _ttl,
    ...rest
  } = item;
  return rest;
}

/** The review's learning as it will be stored. */
export function nextReviewLearning(
  input: ReviewLearningInput,
  expectedVersion: number | undefined,
  at: string,
): ReviewLearning {
  return reviewLearning.parse({
    ...input,
    themes: [...new Set(input.themes)],
    version: (expectedVersion ?? 0) + 1,
    updatedAt: at,
  });
}

/** The action after a change. */
export function nextAction(current: LearningAction, changes: ActionChanges, at: string): LearningAction {
  return learningAction.parse({ ...current, ...changes, version: current.version + 1, updatedAt: at });
}

/** The learning store on the case table and the append-only audit table. */
export class DynamoDbLearningStore implements LearningStore {
  readonly #client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async getReviewLearning(kind: ReviewKind, reviewId: string): Promise<ReviewLearning | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: learningKey(kind, reviewId), ConsistentRead: true }),
    );
    return Item ? reviewLearning.parse(withoutKeys(Item)) : undefined;
  }

  async saveReviewLearning(
    input: ReviewLearningInput,
    expectedVersion: number | undefined,
    audit: AuditInput,
  ): Promise<ReviewLearning> {
    const next = nextReviewLearning(input, expectedVersion, audit.at);
    const current =
      expectedVersion === undefined
        ? undefined
        : await this.getReviewLearning(next.reviewKind, next.reviewId);
    const event = auditEventOf(next.reviewId, audit);
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...learningKey(next.reviewKind, next.reviewId), ...next },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        },
      },
      this.#auditPut(next.reviewKind, next.reviewId, event),
    ];
    // The themes' partitions: out of those no longer tagged (or dated otherwise), into the rest.
    const before = current ? current.themes.map((theme) => ({ theme, reviewedOn: current.reviewedOn })) : [];
    for (const old of before) {
      if (!next.themes.includes(old.theme) || old.reviewedOn !== next.reviewedOn) {
        items.push({
          Delete: {
            TableName: this.tableName,
            Key: themeKeyOf(old.theme, old.reviewedOn, next.reviewKind, next.reviewId),
          },
        });
      }
    }
    for (const theme of next.themes) {
      const entry = themedReview.parse({
        theme,
        reviewKind: next.reviewKind,
        reviewId: next.reviewId,
        reference: next.reference,
        reviewedOn: next.reviewedOn,
      });
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...themeKeyOf(theme, next.reviewedOn, next.reviewKind, next.reviewId), ...entry },
        },
      });
    }
    await transactAudited(
      this.#client,
      items,
      expectedVersion === undefined ? [0, 1] : [1],
      () => new StaleWriteError(`The learning of review ${next.reviewId} changed since it was read`),
    );
    return next;
  }

  async listReviewsWithTheme(
    theme: string,
    options: { before?: string; limit?: number } = {},
  ): Promise<ThemedReview[]> {
    const items = await this.#queryAll(
      {
        TableName: this.tableName,
        KeyConditionExpression: options.before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': `THEME#${theme}`,
          ...(options.before ? { ':before': options.before } : {}),
        },
        ScanIndexForward: false,
        ...(options.limit ? { Limit: options.limit } : {}),
      },
      options.limit,
    );
    return items.map((item) => themedReview.parse(withoutKeys(item)));
  }

  async countReviewsWithTheme(theme: string): Promise<number> {
    let count = 0;
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `THEME#${theme}` },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async createAction(action: LearningAction, audit: AuditInput): Promise<LearningAction> {
    const valid = learningAction.parse(action);
    const event = auditEventOf(valid.reviewId, audit);
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...actionKey(valid.reviewKind, valid.reviewId, valid.actionId),
              ...actionIndexKeys(valid),
              ...valid,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.#auditPut(valid.reviewKind, valid.reviewId, event),
      ],
      [0, 1],
      () => new DuplicateWriteError(`Action ${valid.actionId} already exists`),
    );
    return valid;
  }

  async getAction(kind: ReviewKind, reviewId: string, actionId: string): Promise<LearningAction | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: actionKey(kind, reviewId, actionId),
        ConsistentRead: true,
      }),
    );
    return Item ? learningAction.parse(withoutKeys(Item)) : undefined;
  }

  async listReviewActions(kind: ReviewKind, reviewId: string): Promise<LearningAction[]> {
    const items = await this.#queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `LEARNING#${kind}#${reviewId}`, ':prefix': 'ACTION#' },
      ConsistentRead: true,
    });
    return items.map((item) => learningAction.parse(withoutKeys(item))).sort((a, b) => a.number - b.number);
  }

  async updateAction(
    current: LearningAction,
    changes: ActionChanges,
    audit: AuditInput,
  ): Promise<LearningAction> {
    const next = nextAction(current, changes, audit.at);
    const event = auditEventOf(current.reviewId, audit);
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...actionKey(next.reviewKind, next.reviewId, next.actionId),
              ...actionIndexKeys(next),
              ...next,
            },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        this.#auditPut(current.reviewKind, current.reviewId, event),
      ],
      [1],
      () =>
        new StaleWriteError(`The action ${current.actionId} changed since it was read, or does not exist`),
    );
    return next;
  }

  async listActionsByStatus(status: ActionStatus, range: DueRange = {}): Promise<LearningAction[]> {
    const values: Record<string, string> = { ':pk': `ACTIONS#${status}` };
    let condition = 'gsi1pk = :pk';
    // `<dueOn>#<id>`: from the first of `dueFrom`, to the last of `dueTo` ('$' sorts after '#').
    if (range.dueFrom && range.dueTo) {
      condition += ' AND gsi1sk BETWEEN :from AND :to';
      values[':from'] = `${range.dueFrom}#`;
      values[':to'] = `${range.dueTo}$`;
    } else if (range.dueFrom) {
      condition += ' AND gsi1sk >= :from';
      values[':from'] = `${range.dueFrom}#`;
    } else if (range.dueTo) {
      condition += ' AND gsi1sk <= :to';
      values[':to'] = `${range.dueTo}$`;
    }
    const items = await this.#queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
    });
    return items.map((item) => learningAction.parse(withoutKeys(item)));
  }

  async putActionLink(link: ActionLink, audit: AuditInput): Promise<void> {
    const valid = actionLink.parse(link);
    const event = auditEventOf(valid.reviewId, audit);
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...linkKey(valid.tokenHash),
              ...valid,
              expiresAtEpoch: Math.floor(Date.parse(valid.expiresAt) / 1000) + 30 * 24 * 3600,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.#auditPut(valid.reviewKind, valid.reviewId, event),
      ],
      [0, 1],
      () => new DuplicateWriteError('This link was already stored'),
    );
  }

  async findActionLink(tokenHash: string): Promise<ActionLink | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: linkKey(tokenHash), ConsistentRead: true }),
    );
    return Item ? actionLink.parse(withoutKeys(Item)) : undefined;
  }

  /** The audit event, on the trail of the review it belongs to. */
  #auditPut(kind: ReviewKind, reviewId: string, event: AuditEvent) {
    return auditEventPut(
      this.auditTableName,
      { pk: auditOwnerKey(kind, reviewId), sk: `AUDIT#${event.eventId}` },
      event,
    );
  }

  async #queryAll(input: QueryCommandInput, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (limit === undefined || items.length < limit));
    return limit === undefined ? items : items.slice(0, limit);
  }
}

/** The learning store on the tables the environment names, made once per container (and tables). */
export const learningStoreFromEnvironment: () => LearningStore = onAuditedTables(
  (client, tableName, auditTableName) => new DynamoDbLearningStore(client, tableName, auditTableName),
);
