import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { type RunningSes, startLocalSes } from '../../local/ses.ts';
import { EmailDeliveryUncertainError, type KeyedEmail, SesMailer } from '../../shared/adapters/mailer.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();
let ses: RunningSes;

beforeAll(async () => {
  ses = await startLocalSes();
});
afterAll(async () => {
  await ses?.stop();
});

/** An SES client on the local SES; `failOnSend` makes that send (1 = the first) fail as SES would. */
function sesClient(failOnSend?: number): SESv2Client {
  const client = new SESv2Client({ ...localClientConfig(ses.endpoint), endpoint: ses.endpoint });
  let sends = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      sends += 1;
      if (sends === failOnSend) {
        throw Object.assign(new Error('Invented throttling for a test'), {
          name: 'TooManyRequestsException',
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectedFailure' },
  );
  return client;
}

async function mailerOn(tableName: string, failOnSend?: number): Promise<SesMailer> {
  return new SesMailer({
    ses: sesClient(failOnSend),
    table: dynamo.documentClient,
    tableName,
    from: 'reviews@example.org',
    configurationSet: 'rapid-review-local',
  });
}

/** Emails to invented addresses, each under its own key, with a marker in the subject. */
function emails(marker: string, count: number): KeyedEmail[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${marker}:${index + 1}`,
    message: {
      to: [`person-${index + 1}@example.org`],
      subject: `${marker} email ${index + 1} (invented)`,
      text: 'Invented text for a test.',
    },
  }));
}

const sentWith = async (marker: string) =>
  (await ses.listEmails()).filter((email) => email.subject.startsWith(marker)).map((email) => email.subject);

describe('the SES mailer (DynamoDB Local and the local SES)', () => {
  it('sends each email of a step once, and nothing again when the step runs again', async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const batch = emails('twice', 3);

    const first = await mailer.sendEachOnce(batch);
    const second = await mailer.sendEachOnce(batch);

    expect(first.map((email) => email.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(second.map((email) => [email.outcome, email.messageId])).toEqual(
      first.map((email) => ['already-sent', email.messageId]),
    );
    expect((await sentWith('twice')).sort()).toEqual([
      'twice email 1 (invented)',
      'twice email 2 (invented)',
      'twice email 3 (invented)',
    ]);
  });

  it('keeps what went when a send fails part-way, so the retry sends only the rest', async () => {
    const tableName = await dynamo.freshTable();
    const batch = emails('part-way', 3);
    const failing = await mailerOn(tableName, 2);

    const failed = await failing.sendEachOnce(batch).catch((error: unknown) => error);
    const retried = await (await mailerOn(tableName)).sendEachOnce(batch);

    expect(failed).toMatchObject({ name: 'TooManyRequestsException' });
    expect(retried.map((email) => email.outcome)).toEqual(['already-sent', 'sent', 'sent']);
    expect((await sentWith('part-way')).sort()).toEqual([
      'part-way email 1 (invented)',
      'part-way email 2 (invented)',
      'part-way email 3 (invented)',
    ]);
  });

  it('stops, sending none of them, when an earlier attempt claimed some and never said they went, naming each', async () => {
    const tableName = await dynamo.freshTable();
    for (const key of ['uncertain:2', 'uncertain:3']) {
      await dynamo.documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `EMAIL#${key}`, sk: 'EMAIL', status: 'sending' },
        }),
      );
    }

    const stopped = (await mailerOn(tableName)).sendEachOnce(emails('uncertain', 3));

    await expect(stopped).rejects.toBeInstanceOf(EmailDeliveryUncertainError);
    await expect(stopped).rejects.toThrow('email uncertain:2, email uncertain:3');
    expect(await sentWith('uncertain')).toEqual([]);
  });

  it('sends a single email once with sendOnce, as one of a batch', async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const [email] = emails('single', 1);

    const first = await mailer.sendOnce(email!.key, email!.message);
    const again = await mailer.sendOnce(email!.key, email!.message);

    expect([first.outcome, again.outcome]).toEqual(['sent', 'already-sent']);
    expect(await sentWith('single')).toEqual(['single email 1 (invented)']);
  });
});
