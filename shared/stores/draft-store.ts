import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { appClock, type Clock } from '../clock.ts';
import { requireEnv } from '../env.ts';
import type { SeriousIncidentNotification } from '../schemas/notification.ts';

/**
 * A notification someone is still writing: each question page's accepted answers, kept between
 * requests so the pages work without JavaScript. One draft per signed-in person; it expires
 * after {@link DRAFT_LIFETIME_DAYS} days without a save.
 */
export interface NotificationDraft {
  /** Minted when the draft is first saved; the submission's Idempotency-Key is made from it. */
  draftId: string;
  /** The parts answered so far, each as its page accepted it. */
  notification: Partial<SeriousIncidentNotification>;
  /** When the draft was last saved (ISO instant); set by the store. */
  updatedAt?: string;
}

/** The port the notify pages use. */
export interface DraftStore {
  /** The person's draft, or undefined when there is none (or it has expired). */
  getDraft(userId: string): Promise<NotificationDraft | undefined>;
  /** Saves the whole draft, replacing the one before, and starts its expiry afresh. */
  saveDraft(userId: string, draft: NotificationDraft): Promise<void>;
  /** Removes the draft; removing none is fine. */
  deleteDraft(userId: string): Promise<void>;
}

export const DRAFT_LIFETIME_DAYS = 7;
const DRAFT_LIFETIME_SECONDS = DRAFT_LIFETIME_DAYS * 24 * 3600;

/** The draft's key in the case table. */
export function draftItemKey(userId: string): { pk: string; sk: string } {
  return { pk: `DRAFT#${userId}`, sk: 'NOTIFICATION' };
}

/**
 * Drafts in the case table: item `DRAFT#<userId>` / `NOTIFICATION`, removed by the table's
 * `expiresAtEpoch` TTL. TTL deletes late (up to days), so an expired item is also treated as
 * absent when read.
 */
export class DynamoDbDraftStore implements DraftStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #clock: Clock;

  constructor(client: DynamoDBDocumentClient, tableName: string, clock: Clock) {
    this.#client = client;
    this.#tableName = tableName;
    this.#clock = clock;
  }

  async getDraft(userId: string): Promise<NotificationDraft | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: draftItemKey(userId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    if (Number(Item.expiresAtEpoch) <= Math.floor(this.#clock.now().getTime() / 1000)) return undefined;
    return {
      draftId: String(Item.draftId),
      notification: (Item.notification ?? {}) as NotificationDraft['notification'],
      updatedAt: String(Item.updatedAt),
    };
  }

  async saveDraft(userId: string, draft: NotificationDraft): Promise<void> {
    const now = this.#clock.now();
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          ...draftItemKey(userId),
          draftId: draft.draftId,
          notification: draft.notification,
          updatedAt: now.toISOString(),
          expiresAtEpoch: Math.floor(now.getTime() / 1000) + DRAFT_LIFETIME_SECONDS,
        },
      }),
    );
  }

  async deleteDraft(userId: string): Promise<void> {
    await this.#client.send(new DeleteCommand({ TableName: this.#tableName, Key: draftItemKey(userId) }));
  }
}

let drafts: { tableName: string; store: DynamoDbDraftStore } | undefined;

/** The draft store in the case table the environment names, made once per container (and table). */
export function draftStoreFromEnvironment(): DraftStore {
  const tableName = requireEnv('tableName');
  if (drafts?.tableName !== tableName) {
    drafts = {
      tableName,
      store: new DynamoDbDraftStore(dynamoDocumentClient(), tableName, { now: () => appClock().now() }),
    };
  }
  return drafts.store;
}
