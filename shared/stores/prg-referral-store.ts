import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateWriteError, StaleWriteError } from '../errors.ts';
import type { AuditEvent } from '../schemas/case.ts';
import { auditEvent } from '../schemas/case.ts';
import { type PrgReferral, prgReferral } from '../schemas/prg-referral.ts';
import { auditEventPut, transactAudited } from './audited-transaction.ts';
import type { AuditInput } from './case-store.ts';
import { auditEventOf } from './local-review-store.ts';
import { onAuditedTables } from './on-audited-tables.ts';

/** Fields of a referral that change after it is made. */
export type ReferralChanges = Partial<
  Omit<PrgReferral, 'referralId' | 'version' | 'createdAt' | 'updatedAt' | 'reference' | 'referrer'>
>;

/**
 * Referrals to the Practice Review Group (issue 13), kept in the case table: every referral in
 * one partition (`PRG-REFERRALS` / `REFERRAL#<referralId>`: a partnership has tens a year, so the
 * group's list is one query), a pointer from its strategic lead's approval link
 * (`PRG-APPROVAL#<hash of the token>` / `PRG-APPROVAL`); its audit trail in the audit table
 * under `PRG#<referralId>`. Every change is written with its audit event in one transaction.
 */
export interface PrgReferralStore {
  /** Writes a new referral, its approval link's pointer and its first audit event, or nothing (DuplicateWriteError). */
  createReferral(referral: PrgReferral, audit: AuditInput): Promise<PrgReferral>;
  getReferral(referralId: string): Promise<PrgReferral | undefined>;
  /** The referral an approval link was issued for, by the link's hash. */
  findReferralByApprovalHash(tokenHash: string): Promise<string | undefined>;
  /** Every referral, newest first. */
  listReferrals(): Promise<PrgReferral[]>;
  /**
   * A StaleWriteError when the referral changed since it was read; a DuplicateWriteError when
   * the audit event was written before. `newApprovalHash` writes a pointer for a new link.
   */
  updateReferral(
    current: PrgReferral,
    changes: ReferralChanges,
    audit: AuditInput,
    newApprovalHash?: string,
  ): Promise<PrgReferral>;
  /** The referral's audit trail, oldest first. */
  getReferralAudit(referralId: string): Promise<AuditEvent[]>;
}

export const REFERRALS_PARTITION = 'PRG-REFERRALS';
const referralKey = (referralId: string) => ({ pk: REFERRALS_PARTITION, sk: `REFERRAL#${referralId}` });
const approvalKey = (tokenHash: string) => ({ pk: `PRG-APPROVAL#${tokenHash}`, sk: 'PRG-APPROVAL' });
const auditKey = (referralId: string, eventId: string) => ({
  pk: `PRG#${referralId}`,
  sk: `AUDIT#${eventId}`,
});

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, writeOrder: _order, ...rest } = item;
  return rest;
}

/** The referral store on the case table and the append-only audit table. */
export class DynamoDbPrgReferralStore implements PrgReferralStore {
  readonly #client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async createReferral(referral: PrgReferral, audit: AuditInput): Promise<PrgReferral> {
    const valid = prgReferral.parse(referral);
    const event = auditEventOf(valid.referralId, audit);
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...referralKey(valid.referralId), ...valid },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.#approvalPut(valid.approval.tokenHash, valid.referralId),
        auditEventPut(this.auditTableName, auditKey(valid.referralId, event.eventId), event),
      ],
      [2],
      () => new DuplicateWriteError(`Referral ${valid.referralId} already exists`),
    );
    return valid;
  }

  async getReferral(referralId: string): Promise<PrgReferral | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: referralKey(referralId), ConsistentRead: true }),
    );
    return Item ? prgReferral.parse(withoutKeys(Item)) : undefined;
  }

  async findReferralByApprovalHash(tokenHash: string): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: approvalKey(tokenHash), ConsistentRead: true }),
    );
    return typeof Item?.referralId === 'string' ? Item.referralId : undefined;
  }

  async listReferrals(): Promise<PrgReferral[]> {
    const items = await this.#queryAll(this.tableName, REFERRALS_PARTITION);
    return items
      .map((item) => prgReferral.parse(withoutKeys(item)))
      .sort((a, b) => b.referredAt.localeCompare(a.referredAt));
  }

  async updateReferral(
    current: PrgReferral,
    changes: ReferralChanges,
    audit: AuditInput,
    newApprovalHash?: string,
  ): Promise<PrgReferral> {
    const next = prgReferral.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    const event = auditEventOf(current.referralId, audit);
    await transactAudited(
      this.#client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...referralKey(next.referralId), ...next },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        auditEventPut(this.auditTableName, auditKey(current.referralId, event.eventId), event),
        ...(newApprovalHash ? [this.#approvalPut(newApprovalHash, current.referralId)] : []),
      ],
      [1],
      () => new StaleWriteError(`The referral ${current.referralId} changed since it was read`),
    );
    return next;
  }

  async getReferralAudit(referralId: string): Promise<AuditEvent[]> {
    const items = await this.#queryAll(this.auditTableName, `PRG#${referralId}`);
    return items
      .sort(
        (a, b) =>
          String(a.at).localeCompare(String(b.at)) ||
          String(a.writeOrder ?? '').localeCompare(String(b.writeOrder ?? '')),
      )
      .map((item) => auditEvent.parse(withoutKeys(item)));
  }

  async #queryAll(tableName: string, pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  #approvalPut(tokenHash: string, referralId: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...approvalKey(tokenHash), referralId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}

/** The referral store on the tables the environment names, made once per container (and tables). */
export const prgReferralStoreFromEnvironment: () => PrgReferralStore = onAuditedTables(
  (client, tableName, auditTableName) => new DynamoDbPrgReferralStore(client, tableName, auditTableName),
);
