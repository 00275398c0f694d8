import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { requireEnv } from '../env.ts';
import { StaleWriteError } from '../errors.ts';
import { auditEvent } from '../schemas/case.ts';
import { type AuditInput, nextWriteOrder } from './case-store.ts';

/**
 * The one-time code an agency's contact asks for before the child's details are shown (issue 10
 * part 1): only its hash and salt are kept, with its expiry and the tries left. One per agency
 * link; asking again replaces it.
 */
export interface DetailsCode {
  /** The agency link's token hash: the code belongs to one link. */
  tokenHash: string;
  caseId: string;
  agencyId: string;
  /** sha256 of the salt and the code, hex. */
  codeHash: string;
  /** 16 random bytes, hex, of this code only. */
  salt: string;
  issuedAt: string;
  expiresAt: string;
  triesLeft: number;
  /** When the right code was entered: it works once. */
  usedAt?: string;
  /** Starts at 1; every write checks the version it read. */
  version: number;
}

/** The port the details use cases keep codes (and their audit events) through. */
export interface AgencyDetailsCodes {
  /** The link's current code, read consistently; undefined when none was ever asked for (or the TTL removed it). */
  find(tokenHash: string): Promise<DetailsCode | undefined>;
  /**
   * Writes the code as given, with its audit event, only when the stored one is still at
   * `expectedVersion` (undefined: none stored): otherwise a StaleWriteError and nothing written.
   */
  save(code: DetailsCode, expectedVersion: number | undefined, audit: AuditInput): Promise<void>;
  /** Appends an audit event to the case's trail and changes nothing else (a view of the details). */
  audit(caseId: string, audit: AuditInput): Promise<void>;
}

/** A code item outlives its expiry by a day before the table's TTL removes it. */
const KEPT_AFTER_EXPIRY_SECONDS = 24 * 3600;
const codeKey = (tokenHash: string) => ({ pk: `LINK#${tokenHash}`, sk: 'DETAILS_CODE' });

/**
 * Codes in the case table beside the agency link they belong to (`LINK#<token hash>`,
 * `DETAILS_CODE`), removed by the table's TTL; audit events in the append-only audit table, in
 * the same transaction as the code's change.
 */
export class DynamoDbAgencyDetailsCodes implements AgencyDetailsCodes {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#auditTableName = auditTableName;
  }

  async find(tokenHash: string): Promise<DetailsCode | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: codeKey(tokenHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      tokenHash: String(Item.tokenHash),
      caseId: String(Item.caseId),
      agencyId: String(Item.agencyId),
      codeHash: String(Item.codeHash),
      salt: String(Item.salt),
      issuedAt: String(Item.issuedAt),
      expiresAt: String(Item.expiresAt),
      triesLeft: Number(Item.triesLeft),
      ...(Item.usedAt ? { usedAt: String(Item.usedAt) } : {}),
      version: Number(Item.version),
    };
  }

  async save(code: DetailsCode, expectedVersion: number | undefined, audit: AuditInput): Promise<void> {
    try {
      await this.#client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...codeKey(code.tokenHash),
                  ...code,
                  expiresAtEpoch: Math.floor(Date.parse(code.expiresAt) / 1000) + KEPT_AFTER_EXPIRY_SECONDS,
                },
                ...(expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': expectedVersion },
                    }),
              },
            },
            this.#auditPut(code.caseId, audit),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new StaleWriteError('The agency details code changed since it was read');
      }
      throw error;
    }
  }

  async audit(caseId: string, audit: AuditInput): Promise<void> {
    await this.#client.send(new TransactWriteCommand({ TransactItems: [this.#auditPut(caseId, audit)] }));
  }

  #auditPut(caseId: string, audit: AuditInput) {
    const event = auditEvent.parse({
      ...audit,
      caseId,
      eventId: audit.eventId ?? `${audit.at}-${randomUUID()}`,
    });
    return {
      Put: {
        TableName: this.#auditTableName,
        Item: { pk: `CASE#${caseId}`, sk: `AUDIT#${event.eventId}`, ...event, writeOrder: nextWriteOrder() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}

let codes: { settings: string; store: DynamoDbAgencyDetailsCodes } | undefined;

/** The codes in the tables the environment names, made once per container (and tables). */
export function agencyDetailsCodesFromEnvironment(): AgencyDetailsCodes {
  const tableName = requireEnv('tableName');
  const auditTableName = requireEnv('auditTableName');
  const settings = `${tableName} ${auditTableName}`;
  if (codes?.settings !== settings)
    codes = {
      settings,
      store: new DynamoDbAgencyDetailsCodes(dynamoDocumentClient(), tableName, auditTableName),
    };
  return codes.store;
}
