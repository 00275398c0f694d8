import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type EmailContent, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { loadPartnershipProfile } from '../config/partnership-profile.ts';
import { requireEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { dynamoDocumentClient } from './clients/dynamodb.ts';
import { sesClient } from './clients/sesv2.ts';

/** A file attached to an email. */
export interface Attachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** One email. Addresses only: the body never carries more personal data than the step needs. */
export interface EmailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  attachments?: Attachment[];
}

/**
 * An email was claimed for sending by an earlier attempt that never confirmed it went. It may
 * or may not have been delivered, so the workflow stops for a person to check rather than
 * risk sending it twice.
 */
export class EmailDeliveryUncertainError extends DomainError {
  override readonly name = 'EmailDeliveryUncertain';
  override readonly kind = 'conflict';
}

/** One email to send at most once, under its key. */
export interface KeyedEmail {
  key: string;
  message: EmailMessage;
}

/** What became of one keyed email: sent now, or found sent by an earlier attempt. */
export interface SendOutcome {
  key: string;
  outcome: 'sent' | 'already-sent';
  messageId: string;
}

/** The port steps send email through. No key is ever sent twice. */
export interface Mailer {
  /**
   * Sends the message unless one with this key was already sent. Answers whether it sent now
   * (`sent`) or found it already sent (`already-sent`).
   *
   * @throws EmailDeliveryUncertainError when an earlier attempt claimed the key and never said
   * whether it went.
   */
  sendOnce(key: string, message: EmailMessage): Promise<SendOutcome>;
  /**
   * Sends each email whose key was not sent before, in order, and answers each outcome in the
   * same order. A send that fails part-way keeps what went as sent and what did not as unsent,
   * then throws, so a retry sends only the rest. An attempt stopped from outside before it could
   * say what went (a timeout, a crash) leaves every email of the call uncertain.
   *
   * @throws EmailDeliveryUncertainError as `sendOnce`, naming every uncertain key, before
   * sending any of them.
   */
  sendEachOnce(emails: readonly KeyedEmail[]): Promise<SendOutcome[]>;
}

/** The most items one DynamoDB transaction, and one batch write, may hold. */
const TRANSACTION_ITEMS = 100;
const BATCH_WRITE_ITEMS = 25;

/**
 * SES v2 mailer. Before sending, it claims the emails' keys with conditional writes in the case
 * table, all of a step's emails in one transaction; it marks them sent afterwards, together;
 * a failed send releases the claims of what did not go, so a retry sends only those. For a
 * step's emails that is one transaction and one batch write per 25 emails, rather than two
 * writes an email (and a consistent read of the keys an earlier attempt claimed, on a retry).
 * The price: an attempt killed between claiming and marking (a Lambda timeout, a crash) leaves
 * all of its emails claimed and unconfirmed, and the retry stops for a person to check them.
 */
export class SesMailer implements Mailer {
  readonly #ses: SESv2Client;
  readonly #table: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #from: string;
  readonly #configurationSet: string;

  constructor(options: {
    ses: SESv2Client;
    table: DynamoDBDocumentClient;
    tableName: string;
    from: string;
    configurationSet: string;
  }) {
    this.#ses = options.ses;
    this.#table = options.table;
    this.#tableName = options.tableName;
    this.#from = options.from;
    this.#configurationSet = options.configurationSet;
  }

  async sendOnce(key: string, message: EmailMessage): Promise<SendOutcome> {
    const [outcome] = await this.sendEachOnce([{ key, message }]);
    return outcome as SendOutcome;
  }

  async sendEachOnce(emails: readonly KeyedEmail[]): Promise<SendOutcome[]> {
    const keys = emails.map((email) => email.key);
    if (new Set(keys).size !== keys.length) throw new Error('Each email of one call needs its own key');
    if (keys.length > TRANSACTION_ITEMS) throw new Error(`At most ${TRANSACTION_ITEMS} emails at once`);
    const earlier = await this.#claim(keys);

    const outcomes: SendOutcome[] = [];
    const sent: SendOutcome[] = [];
    for (const [index, email] of emails.entries()) {
      const found = earlier.get(email.key);
      if (found) {
        outcomes.push({ key: email.key, outcome: 'already-sent', messageId: found });
        continue;
      }
      let messageId: string;
      try {
        messageId = await this.#send(email.message);
      } catch (error) {
        // What went stays sent; this and the rest are released for the retry to send.
        const unsent = emails.slice(index).filter((rest) => !earlier.has(rest.key));
        await this.#settle(
          sent,
          unsent.map((rest) => rest.key),
        );
        throw error;
      }
      const outcome: SendOutcome = { key: email.key, outcome: 'sent', messageId };
      sent.push(outcome);
      outcomes.push(outcome);
    }
    await this.#settle(sent, []);
    return outcomes;
  }

  /**
   * Claims every key not yet claimed, in one transaction of conditional puts. Answers the keys
   * an earlier attempt had already sent, with their message ids.
   */
  async #claim(keys: readonly string[]): Promise<Map<string, string>> {
    const earlier = new Map<string, string>();
    let unclaimed = [...keys];
    while (unclaimed.length > 0) {
      try {
        await this.#table.send(
          new TransactWriteCommand({
            TransactItems: unclaimed.map((key) => ({
              Put: {
                TableName: this.#tableName,
                Item: { ...emailItemKey(key), status: 'sending' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
        return earlier;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const taken = unclaimed.filter((_, index) => reasons[index]?.Code === 'ConditionalCheckFailed');
        if (taken.length === 0) throw error;
        const uncertain: string[] = [];
        for (const [key, item] of await this.#read(taken)) {
          if (item?.status === 'sent') earlier.set(key, String(item.messageId));
          else uncertain.push(key);
        }
        if (uncertain.length > 0) {
          throw new EmailDeliveryUncertainError(
            `Claimed but never confirmed as sent: ${uncertain.map((key) => `email ${key}`).join(', ')}`,
          );
        }
        unclaimed = unclaimed.filter((key) => !taken.includes(key));
      }
    }
    return earlier;
  }

  /** The claim items of `keys`, read consistently. */
  async #read(keys: readonly string[]): Promise<Map<string, Record<string, unknown> | undefined>> {
    const found = new Map<string, Record<string, unknown> | undefined>(keys.map((key) => [key, undefined]));
    let requested: Record<string, unknown>[] | undefined = keys.map(emailItemKey);
    while (requested?.length) {
      const answer: BatchGetCommandOutput = await this.#table.send(
        new BatchGetCommand({
          RequestItems: { [this.#tableName]: { Keys: requested, ConsistentRead: true } },
        }),
      );
      for (const item of answer.Responses?.[this.#tableName] ?? []) {
        found.set(String(item.pk).slice(EMAIL_PREFIX.length), item);
      }
      requested = answer.UnprocessedKeys?.[this.#tableName]?.Keys;
    }
    return found;
  }

  async #send(message: EmailMessage): Promise<string> {
    const result = await this.#ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from,
        Destination: { ToAddresses: message.to, CcAddresses: message.cc },
        ConfigurationSetName: this.#configurationSet,
        Content: simpleContent(message),
      }),
    );
    return result.MessageId ?? 'unknown';
  }

  /** Marks what went as sent and releases the claims of what did not, in as few batch writes as fit. */
  async #settle(sent: readonly SendOutcome[], released: readonly string[]): Promise<void> {
    let writes: NonNullable<BatchWriteCommandInput['RequestItems']>[string] = [
      ...sent.map((email) => ({
        PutRequest: {
          Item: { ...emailItemKey(email.key), status: 'sent', messageId: email.messageId },
        },
      })),
      ...released.map((key) => ({ DeleteRequest: { Key: emailItemKey(key) } })),
    ];
    while (writes.length > 0) {
      const batch = writes.slice(0, BATCH_WRITE_ITEMS);
      const answer = await this.#table.send(
        new BatchWriteCommand({ RequestItems: { [this.#tableName]: batch } }),
      );
      writes = [...writes.slice(BATCH_WRITE_ITEMS), ...(answer.UnprocessedItems?.[this.#tableName] ?? [])];
    }
  }
}

const EMAIL_PREFIX = 'EMAIL#';

/** The claim item of an email's key in the case table. */
function emailItemKey(key: string): { pk: string; sk: string } {
  return { pk: `${EMAIL_PREFIX}${key}`, sk: 'EMAIL' };
}

let mailer: { settings: string; mailer: SesMailer } | undefined;

/**
 * The mailer from the environment: SES through the partnership's configuration set, from the
 * profile's sender address, with once-only claims in the case table. Made once per container,
 * and again only when those settings change.
 */
export function mailerFromEnvironment(): Mailer {
  const tableName = requireEnv('tableName');
  const from = loadPartnershipProfile().senderAddress;
  const configurationSet = requireEnv('sesConfigurationSet');
  const settings = JSON.stringify([tableName, from, configurationSet]);
  if (mailer?.settings !== settings) {
    mailer = {
      settings,
      mailer: new SesMailer({
        ses: sesClient(),
        table: dynamoDocumentClient(),
        tableName,
        from,
        configurationSet,
      }),
    };
  }
  return mailer.mailer;
}

/**
 * An email as SES v2's Simple content: SES builds the MIME message itself (headers encoded, the
 * text and each attachment in their parts), so nothing here writes a header by hand.
 */
export function simpleContent(message: EmailMessage): EmailContent {
  return {
    Simple: {
      Subject: { Data: message.subject, Charset: 'UTF-8' },
      Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
      ...(message.attachments?.length
        ? {
            Attachments: message.attachments.map((attachment) => ({
              FileName: attachment.fileName,
              ContentType: attachment.contentType,
              ContentDisposition: 'ATTACHMENT',
              ContentTransferEncoding: 'BASE64',
              RawContent: attachment.content,
            })),
          }
        : {}),
    },
  };
}
