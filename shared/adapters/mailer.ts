import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
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

/** The port steps send email through. `sendOnce` never sends the same key twice. */
export interface Mailer {
  /**
   * Sends the message unless one with this key was already sent. Answers whether it sent now
   * (`sent`) or found it already sent (`already-sent`).
   */
  sendOnce(
    key: string,
    message: EmailMessage,
  ): Promise<{ outcome: 'sent' | 'already-sent'; messageId: string }>;
}

/**
 * SES v2 mailer. Before sending it claims the key with a conditional write in the case table,
 * and marks it sent afterwards; a failed send releases the claim so a retry can send.
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

  async sendOnce(key: string, message: EmailMessage) {
    const Key = { pk: `EMAIL#${key}`, sk: 'EMAIL' };
    const claimId = randomUUID();
    try {
      await this.#table.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...Key, status: 'sending', claimId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.#table.send(
        new GetCommand({ TableName: this.#tableName, Key, ConsistentRead: true }),
      );
      if (Item?.status === 'sent')
        return { outcome: 'already-sent' as const, messageId: String(Item.messageId) };
      throw new EmailDeliveryUncertainError(`Email ${key} was claimed but never confirmed as sent`);
    }

    let messageId: string;
    try {
      const result = await this.#ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.#from,
          Destination: { ToAddresses: message.to, CcAddresses: message.cc },
          ConfigurationSetName: this.#configurationSet,
          Content: { Raw: { Data: new TextEncoder().encode(toMime(this.#from, message)) } },
        }),
      );
      messageId = result.MessageId ?? 'unknown';
    } catch (error) {
      await this.#table.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key,
          ConditionExpression: 'claimId = :claimId',
          ExpressionAttributeValues: { ':claimId': claimId },
        }),
      );
      throw error;
    }
    await this.#table.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key,
        UpdateExpression: 'SET #status = :sent, messageId = :messageId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId },
      }),
    );
    return { outcome: 'sent' as const, messageId };
  }
}

let mailer: { tableName: string; mailer: SesMailer } | undefined;

/**
 * The mailer from the environment: SES through the partnership's configuration set, from the
 * profile's sender address, with once-only claims in the case table. Made once per container
 * (and table).
 */
export function mailerFromEnvironment(): Mailer {
  const tableName = requireEnv('tableName');
  if (mailer?.tableName !== tableName) {
    mailer = {
      tableName,
      mailer: new SesMailer({
        ses: sesClient(),
        table: dynamoDocumentClient(),
        tableName,
        from: loadPartnershipProfile().senderAddress,
        configurationSet: requireEnv('sesConfigurationSet'),
      }),
    };
  }
  return mailer.mailer;
}

/** RFC 2047 encoding for a header that may hold non-ASCII text. */
function encodeHeader(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: testing for non-ASCII on purpose
  return /^[\x00-\x7F]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(content: Uint8Array): string {
  return (
    Buffer.from(content)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** Builds a MIME message: a UTF-8 text part and any attachments, base64 encoded. */
export function toMime(from: string, message: EmailMessage): string {
  const boundary = `part-${randomUUID()}`;
  const headers = [
    `From: ${from}`,
    `To: ${message.to.join(', ')}`,
    ...(message.cc?.length ? [`Cc: ${message.cc.join(', ')}`] : []),
    `Subject: ${encodeHeader(message.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ];
  const parts = [
    [
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(new TextEncoder().encode(message.text)),
    ].join('\r\n'),
    ...(message.attachments ?? []).map((attachment) =>
      [
        `--${boundary}`,
        `Content-Type: ${attachment.contentType}; name="${attachment.fileName}"`,
        `Content-Disposition: attachment; filename="${attachment.fileName}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(attachment.content),
      ].join('\r\n'),
    ),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${parts.join('\r\n')}\r\n--${boundary}--\r\n`;
}
