import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type EmailContent,
  type MessageHeader,
  type SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { appClock, systemClock } from '../clock.ts';
import { loadPartnershipProfile } from '../config/partnership-profile.ts';
import { requireEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { currentInvocation, type Invocation } from '../invocation.ts';
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
  /** Where a reply goes: the partnership team's mailbox, never the sending address (which no one reads). */
  replyTo?: string[];
  subject: string;
  text: string;
  attachments?: Attachment[];
}

/**
 * An email's subject, an address (to, cc or reply-to) or an attachment's name or type holds a line break or another
 * control character, which could add a header to the message (`\r\nBcc: …`). Nothing is sent
 * and nothing is claimed; trying again cannot help, so it is not retried.
 */
export class UnsafeEmailHeaderError extends DomainError {
  override readonly name = 'UnsafeEmailHeader';
  override readonly kind = 'refused';
  /** The fields that hold a control character: `subject`, `to.0`, `attachments.1.fileName`, … */
  readonly fields: string[];
  constructor(key: string, fields: string[]) {
    super(
      `Email ${key} not sent: ${fields.join(', ')} holds a line break or another control character`,
      'Email refused',
    );
    this.fields = fields;
  }
}

/**
 * An email is claimed by another attempt whose lease has not ended: that attempt may still be
 * sending it. Retryable (`$retryable`, so a task throws it as `Transient` and the ASL tries
 * again); once the lease ends, the next attempt takes the claim over and sends.
 */
export class EmailClaimHeldError extends Error {
  override readonly name = 'EmailClaimHeld';
  readonly $retryable = { throttling: false };
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
   * @throws UnsafeEmailHeaderError when a header field holds a control character.
   * @throws EmailClaimHeldError while another attempt's claim on the key is leased.
   */
  sendOnce(key: string, message: EmailMessage): Promise<SendOutcome>;
  /**
   * Sends each email whose key was not sent before, in order, and answers each outcome in the
   * same order. A send that fails part-way keeps what went as sent and what did not as unsent,
   * then throws, so a retry sends only the rest. An attempt stopped from outside before it could
   * say what went (a timeout, a crash) leaves its claims leased until it must have ended; a later
   * attempt then takes them over.
   *
   * @throws UnsafeEmailHeaderError as `sendOnce`, before claiming or sending any of them.
   * @throws EmailClaimHeldError as `sendOnce`, before sending any of them.
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
 * writes an email.
 *
 * A claim carries its owner (the invocation) and a lease that ends when that invocation must
 * have ended: its function's timeout (`shared/invocation.ts`; real time, on AWS and locally
 * alike). An attempt killed between claiming and marking (a timeout, a crash) so leaves claims
 * that a later attempt takes over once the lease has ended, and sends: such a crash needs no
 * person. A later attempt that finds a claim still leased fails with a retryable error, and the
 * workflow's Retry tries again later. An attempt stops sending two seconds before its lease
 * ends (a send SES has not answered by then is aborted), leaving time to mark what went and
 * release the rest before a timeout stops the function.
 *
 * What remains: an attempt killed outright (its process gone: out of memory, a crash) after SES
 * accepted some of its emails and before it marked them leaves their claims looking unsent, and
 * the attempt that takes them over sends those emails again: at most the emails of one step,
 * those that went before the crash. Nothing short of SES itself knowing the key could close
 * that window.
 */
export class SesMailer implements Mailer {
  readonly #ses: SESv2Client;
  readonly #table: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #from: string;
  readonly #configurationSet: string;
  readonly #invocation: () => Invocation | undefined;

  /**
   * `invocation`: the invocation a call runs in (by default the handler's, from
   * `shared/invocation.ts`); without one, a call is its own owner with a lease of Lambda's
   * longest timeout, 15 minutes. Leases are by the wall clock (`Date.now`), never the app
   * clock, which is virtual locally.
   */
  constructor(options: {
    ses: SESv2Client;
    table: DynamoDBDocumentClient;
    tableName: string;
    from: string;
    configurationSet: string;
    invocation?: () => Invocation | undefined;
  }) {
    const unsafe = unsafeText(options.from);
    if (unsafe) throw new UnsafeEmailHeaderError('(every email)', ['from']);
    this.#ses = options.ses;
    this.#table = options.table;
    this.#tableName = options.tableName;
    this.#from = options.from;
    this.#configurationSet = options.configurationSet;
    this.#invocation = options.invocation ?? currentInvocation;
  }

  async sendOnce(key: string, message: EmailMessage): Promise<SendOutcome> {
    const [outcome] = await this.sendEachOnce([{ key, message }]);
    return outcome as SendOutcome;
  }

  async sendEachOnce(emails: readonly KeyedEmail[]): Promise<SendOutcome[]> {
    const keys = emails.map((email) => email.key);
    if (new Set(keys).size !== keys.length) throw new Error('Each email of one call needs its own key');
    if (keys.length > TRANSACTION_ITEMS) throw new Error(`At most ${TRANSACTION_ITEMS} emails at once`);
    for (const email of emails) {
      const fields = unsafeHeaderFields(email.message);
      if (fields.length > 0) throw new UnsafeEmailHeaderError(email.key, fields);
    }
    const lease = this.#invocation() ?? {
      id: randomUUID(),
      deadline: Date.now() + LONGEST_LAMBDA_TIMEOUT_MS,
    };
    const earlier = await this.#claim(keys, lease);

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
        messageId = await this.#send(email.message, lease);
      } catch (error) {
        // What went stays sent; this and the rest are released for the retry to send.
        const unsent = emails.slice(index).filter((rest) => !earlier.has(rest.key));
        await this.#settle(sent);
        await this.#release(
          unsent.map((rest) => rest.key),
          lease,
        );
        throw error;
      }
      const outcome: SendOutcome = { key: email.key, outcome: 'sent', messageId };
      sent.push(outcome);
      outcomes.push(outcome);
    }
    await this.#settle(sent);
    return outcomes;
  }

  /**
   * Claims every key not yet claimed, or claimed under a lease that has ended, in one
   * transaction of conditional puts. Answers the keys an earlier attempt had already sent, with
   * their message ids. A key another attempt holds under a lease waits for that lease to end
   * when this attempt would still have time to send afterwards, and otherwise fails retryably.
   */
  async #claim(keys: readonly string[], lease: Invocation): Promise<Map<string, string>> {
    const earlier = new Map<string, string>();
    let unclaimed = [...keys];
    while (unclaimed.length > 0) {
      try {
        await this.#table.send(
          new TransactWriteCommand({
            TransactItems: unclaimed.map((key) => ({
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...emailItemKey(key),
                  status: 'sending',
                  owner: lease.id,
                  leaseEndsAt: lease.deadline,
                },
                // Claims written before leases existed have none: their attempts ended long ago.
                ConditionExpression:
                  'attribute_not_exists(pk) OR (#status = :sending AND (attribute_not_exists(leaseEndsAt) OR leaseEndsAt <= :now))',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':sending': 'sending', ':now': Date.now() },
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
        const held: { key: string; until: number }[] = [];
        for (const [key, item] of await this.#read(taken)) {
          if (item?.status === 'sent') earlier.set(key, String(item.messageId));
          else if (item?.status === 'sending' && typeof item.leaseEndsAt === 'number') {
            held.push({ key, until: item.leaseEndsAt });
          }
          // Otherwise released, or its lease ended, since the transaction: claimed next time round.
        }
        unclaimed = unclaimed.filter((key) => !earlier.has(key));
        if (held.length > 0) {
          // Waiting here would spend this attempt's own time; the workflow's Retry waits instead.
          const until = Math.max(...held.map((claim) => claim.until));
          throw new EmailClaimHeldError(
            `Claimed by another attempt until ${new Date(until).toISOString()}: ${held.map((claim) => `email ${claim.key}`).join(', ')}`,
          );
        }
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

  /**
   * Sends one message, but never starts once the attempt is within SETTLE_MARGIN_MS of its
   * lease's end, and gives up waiting for SES then: the margin is left for marking what went and
   * releasing the rest, which Lambda would not run once its timeout stops the function.
   */
  async #send(message: EmailMessage, lease: Invocation): Promise<string> {
    const left = lease.deadline - SETTLE_MARGIN_MS - Date.now();
    if (left <= 0) {
      throw new EmailClaimHeldError("Too little of this attempt's time is left to send and mark an email");
    }
    const result = await this.#ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from,
        Destination: { ToAddresses: message.to, CcAddresses: message.cc },
        ...(message.replyTo?.length ? { ReplyToAddresses: message.replyTo } : {}),
        ConfigurationSetName: this.#configurationSet,
        Content: simpleContent(message, serviceTimeHeader()),
      }),
      { abortSignal: AbortSignal.timeout(left) },
    );
    return result.MessageId ?? 'unknown';
  }

  /** Marks what went as sent, in as few batch writes as fit. */
  async #settle(sent: readonly SendOutcome[]): Promise<void> {
    let writes: NonNullable<BatchWriteCommandInput['RequestItems']>[string] = sent.map((email) => ({
      PutRequest: {
        Item: { ...emailItemKey(email.key), status: 'sent', messageId: email.messageId },
      },
    }));
    while (writes.length > 0) {
      const batch = writes.slice(0, BATCH_WRITE_ITEMS);
      const answer = await this.#table.send(
        new BatchWriteCommand({ RequestItems: { [this.#tableName]: batch } }),
      );
      writes = [...writes.slice(BATCH_WRITE_ITEMS), ...(answer.UnprocessedItems?.[this.#tableName] ?? [])];
    }
  }

  /**
   * Releases this attempt's claims on what did not go, each only while this attempt still owns
   * it: a claim another attempt has taken over (this one's lease having ended) stays theirs.
   */
  async #release(keys: readonly string[], lease: Invocation): Promise<void> {
    for (const key of keys) {
      try {
        await this.#table.send(
          new DeleteCommand({
            TableName: this.#tableName,
            Key: emailItemKey(key),
            ConditionExpression: '#status = :sending AND #owner = :owner',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: { ':sending': 'sending', ':owner': lease.id },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
}

/** Lambda's longest timeout: the lease of a call made outside any invocation. */
const LONGEST_LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;
/**
 * How long before its lease ends an attempt stops sending (and aborts a send SES has not
 * answered): time to mark what went and release the rest before the function's timeout.
 */
const SETTLE_MARGIN_MS = 2_000;

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
  const profile = loadPartnershipProfile();
  const from = senderWithName(profile.partnershipName, profile.senderAddress);
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
 * The From header: the partnership's name before its sender address, so an inbox shows who wrote
 * ("Exampleshire Safeguarding Children Partnership" <reviews@…>). The name is quoted (its quotes
 * and backslashes escaped), or RFC 2047 encoded when it holds characters beyond ASCII.
 */
export function senderWithName(name: string, address: string): string {
  const plain = name.replace(/\s+/g, ' ').trim();
  if (!plain) return address;
  if (/^[\x20-\x7e]*$/.test(plain))
    return `"${plain.replace(/["\\]/g, (character) => `\\${character}`)}" <${address}>`;
  // Encoded words of at most 45 bytes each (60 in base64), so none is longer than 75 characters.
  const words: string[] = [''];
  for (const character of plain) {
    const last = words.length - 1;
    if (Buffer.byteLength(words[last] + character, 'utf8') > 45) words.push(character);
    else words[last] += character;
  }
  const encoded = words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
  return `${encoded.join(' ')} <${address}>`;
}

/** The header that says when the service sent an email by its own clock, where that is not the wall clock. */
export const SERVICE_TIME_HEADER = 'X-Service-Time';

/**
 * Where the process runs on a clock of its own (the local stack's virtual time), the instant it
 * sent the email by that clock, so the local inbox can show it beside the real time; on AWS,
 * where the service's clock is the wall clock, nothing (the Date header says it already).
 */
function serviceTimeHeader(): MessageHeader[] {
  const clock = appClock();
  return clock === systemClock ? [] : [{ Name: SERVICE_TIME_HEADER, Value: clock.now().toISOString() }];
}

/**
 * An email as SES v2's Simple content: SES builds the MIME message itself (headers encoded, the
 * text and each attachment in their parts), so nothing here writes a header by hand. The mailer
 * refuses a message whose header fields hold a control character before it gets here
 * (`unsafeHeaderFields`).
 */
export function simpleContent(message: EmailMessage, headers: MessageHeader[] = []): EmailContent {
  return {
    Simple: {
      Subject: { Data: message.subject, Charset: 'UTF-8' },
      Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
      ...(headers.length ? { Headers: headers } : {}),
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

/**
 * Characters no header may hold: C0 controls (CR and LF among them), DEL, the C1 controls, and
 * Unicode's line and paragraph separators. SES encodes what it writes, but a line break in a
 * header field could still end the header and start another.
 */
const headerUnsafe = /[\p{Cc}\u2028\u2029]/u;

function unsafeText(value: string): boolean {
  return headerUnsafe.test(value);
}

/** The fields of a message that would become header text and hold a control character. */
export function unsafeHeaderFields(message: EmailMessage): string[] {
  const fields: string[] = [];
  if (unsafeText(message.subject)) fields.push('subject');
  message.to.forEach((address, index) => {
    if (unsafeText(address)) fields.push(`to.${index}`);
  });
  (message.cc ?? []).forEach((address, index) => {
    if (unsafeText(address)) fields.push(`cc.${index}`);
  });
  (message.replyTo ?? []).forEach((address, index) => {
    if (unsafeText(address)) fields.push(`replyTo.${index}`);
  });
  (message.attachments ?? []).forEach((attachment, index) => {
    if (unsafeText(attachment.fileName)) fields.push(`attachments.${index}.fileName`);
    if (unsafeText(attachment.contentType)) fields.push(`attachments.${index}.contentType`);
  });
  return fields;
}
