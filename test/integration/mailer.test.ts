import { createServer, type Server, type Socket } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { type RunningSes, startLocalSes } from '../../local/ses.ts';
import {
  EmailClaimHeldError,
  type EmailMessage,
  type KeyedEmail,
  SesMailer,
  senderWithName,
  UnsafeEmailHeaderError,
} from '../../shared/adapters/mailer.ts';
import { fixedClock, installClock, systemClock } from '../../shared/clock.ts';
import type { Invocation } from '../../shared/invocation.ts';
import { isTransient } from '../../shared/workflow/task-handler.ts';
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
function sesClient(failOnSend?: number, endpoint = ses.endpoint): SESv2Client {
  const client = new SESv2Client({ ...localClientConfig(endpoint), endpoint });
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

async function mailerOn(
  tableName: string,
  failOnSend?: number,
  options: { invocation?: Invocation; sesEndpoint?: string } = {},
): Promise<SesMailer> {
  return new SesMailer({
    ses: sesClient(failOnSend, options.sesEndpoint),
    table: dynamo.documentClient,
    tableName,
    from: 'reviews@example.org',
    configurationSet: 'rapid-review-local',
    ...(options.invocation ? { invocation: () => options.invocation } : {}),
  });
}

/** An invocation of the given id with this many milliseconds left. */
const invocation = (id: string, leftMs: number): Invocation => ({ id, deadline: Date.now() + leftMs });

/** Writes a claim as an earlier attempt left it. */
async function claimLeftBy(tableName: string, key: string, claim: Record<string, unknown>): Promise<void> {
  await dynamo.documentClient.send(
    new PutCommand({ TableName: tableName, Item: { pk: `EMAIL#${key}`, sk: 'EMAIL', ...claim } }),
  );
}

async function claimOf(tableName: string, key: string) {
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({ TableName: tableName, Key: { pk: `EMAIL#${key}`, sk: 'EMAIL' }, ConsistentRead: true }),
  );
  return Item;
}

/** The raw MIME message the local SES makes of a stored email. */
async function rawMessage(messageId: string): Promise<string> {
  const response = await fetch(
    new URL(`/get-emlContent?messageId=${encodeURIComponent(messageId)}`, ses.endpoint),
  );
  const { body } = (await response.json()) as { body: { type: 'Buffer'; data: number[] } | string };
  return typeof body === 'string' ? body : Buffer.from(body.data).toString('utf8');
}

/** The header lines of a raw message, unfolded. */
const headerNames = (raw: string) =>
  raw
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());

/** An SES endpoint that accepts connections and never answers; `stop` closes them. */
async function silentSes(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

  it('takes over claims whose lease has ended (an attempt killed between claiming and sending) and sends each once', async () => {
    const tableName = await dynamo.freshTable();
    await claimLeftBy(tableName, 'taken-over:2', {
      status: 'sending',
      owner: 'a-killed-invocation',
      leaseEndsAt: Date.now() - 1,
    });
    // A claim written before claims had leases: its attempt ended long ago.
    await claimLeftBy(tableName, 'taken-over:3', { status: 'sending' });
    const mailer = await mailerOn(tableName, undefined, { invocation: invocation('the-retry', 30_000) });

    const outcomes = await mailer.sendEachOnce(emails('taken-over', 3));

    expect(outcomes.map((email) => email.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect((await sentWith('taken-over')).sort()).toEqual([
      'taken-over email 1 (invented)',
      'taken-over email 2 (invented)',
      'taken-over email 3 (invented)',
    ]);
    expect(await claimOf(tableName, 'taken-over:2')).toMatchObject({ status: 'sent' });
  });

  it('fails retryably, sending none of them, while another attempt holds a claim, naming it', async () => {
    const tableName = await dynamo.freshTable();
    await claimLeftBy(tableName, 'held:2', {
      status: 'sending',
      owner: 'a-running-invocation',
      leaseEndsAt: Date.now() + 60_000,
    });

    const failed = await (await mailerOn(tableName, undefined, { invocation: invocation('another', 30_000) }))
      .sendEachOnce(emails('held', 3))
      .catch((error: unknown) => error);

    expect(failed).toBeInstanceOf(EmailClaimHeldError);
    expect(String((failed as Error).message)).toContain('email held:2');
    expect(isTransient(failed)).toBe(true);
    expect(await sentWith('held')).toEqual([]);
    expect(await claimOf(tableName, 'held:2')).toMatchObject({ owner: 'a-running-invocation' });
  });

  it('fails retryably while a lease runs, without waiting it out, and takes the claim over once it has ended', async () => {
    const tableName = await dynamo.freshTable();
    const leaseEndsAt = Date.now() + 400;
    await claimLeftBy(tableName, 'retried:1', {
      status: 'sending',
      owner: 'a-dying-invocation',
      leaseEndsAt,
    });
    const retry = async () =>
      (await mailerOn(tableName, undefined, { invocation: invocation('the-retry', 20_000) })).sendEachOnce(
        emails('retried', 1),
      );

    const early = await retry().catch((error: unknown) => error);
    const failedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseEndsAt - Date.now()) + 50));
    const [outcome] = await retry();

    expect(early).toBeInstanceOf(EmailClaimHeldError);
    expect(failedAt).toBeLessThan(leaseEndsAt);
    expect(outcome?.outcome).toBe('sent');
    expect(await sentWith('retried')).toEqual(['retried email 1 (invented)']);
    expect(await claimOf(tableName, 'retried:1')).toMatchObject({
      status: 'sent',
      messageId: outcome?.messageId,
    });
  });

  it('gives up on an SES that never answers two seconds before its lease ends, releasing the claim for the next attempt', async () => {
    const tableName = await dynamo.freshTable();
    const silent = await silentSes();
    try {
      const started = Date.now();
      const failed = await (
        await mailerOn(tableName, undefined, {
          invocation: invocation('a-stuck-invocation', 2_600),
          sesEndpoint: silent.endpoint,
        })
      )
        .sendEachOnce(emails('stuck', 1))
        .catch((error: unknown) => error);

      expect(failed).toBeInstanceOf(Error);
      // Aborted at 0.6 s, two seconds before the lease's end, with time left to release the claim.
      expect(Date.now() - started).toBeLessThan(2_600);
      expect(await claimOf(tableName, 'stuck:1')).toBeUndefined();
    } finally {
      await silent.stop();
    }
    const [retried] = await (await mailerOn(tableName)).sendEachOnce(emails('stuck', 1));
    expect(retried?.outcome).toBe('sent');
    expect(await sentWith('stuck')).toEqual(['stuck email 1 (invented)']);
  });

  it('sends a single email once with sendOnce, as one of a batch', async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const [email] = emails('single', 1);

    const first = await mailer.sendOnce(email!.key, email!.message);
    const again = await mailer.sendOnce(email!.key, email!.message);

    expect([first.outcome, again.outcome]).toEqual(['sent', 'already-sent']);
    expect(await sentWith('single')).toEqual(['single email 1 (invented)']);
  });

  it('stamps the instant by the service clock where the process runs on one of its own (the local stack), and adds nothing on the wall clock', async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const [onWallClock, onVirtualClock] = emails('stamped', 2);
    const virtualNow = new Date('2026-03-12T16:45:00Z');

    await mailer.sendOnce(onWallClock!.key, onWallClock!.message);
    installClock(fixedClock(virtualNow));
    try {
      await mailer.sendOnce(onVirtualClock!.key, onVirtualClock!.message);
    } finally {
      installClock(systemClock);
    }

    const stored = (await ses.listEmails()).filter((email) => email.subject.startsWith('stamped'));
    const bySubject = new Map(stored.map((email) => [email.subject, email.serviceTime]));
    expect(bySubject.get('stamped email 1 (invented)')).toBeUndefined();
    expect(bySubject.get('stamped email 2 (invented)')).toEqual(virtualNow);
  });

  it("sends a message's Reply-To: SES gets the partnership team's address, and the raw message carries it", async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const [email] = emails('reply-to', 1);

    const [outcome] = await mailer.sendEachOnce([
      { key: email!.key, message: { ...email!.message, replyTo: ['partnership-team@example.org'] } },
    ]);

    const stored = (await ses.listEmails()).find((sent) => sent.messageId === outcome!.messageId);
    expect(stored?.replyTo).toEqual(['partnership-team@example.org']);
    expect(stored?.from).toContain('reviews@example.org');
    expect(await rawMessage(outcome!.messageId)).toMatch(/^reply-to: partnership-team@example\.org$/im);
  });

  it('sends from the partnership by name: SES gets the quoted name before the sender address', async () => {
    const tableName = await dynamo.freshTable();
    const mailer = new SesMailer({
      ses: sesClient(),
      table: dynamo.documentClient,
      tableName,
      from: senderWithName('Exampleshire "Test" Partnership (invented)', 'reviews@example.org'),
      configurationSet: 'rapid-review-local',
    });
    const [email] = emails('from-name', 1);

    const [outcome] = await mailer.sendEachOnce([email!]);

    const stored = (await ses.listEmails()).find((sent) => sent.messageId === outcome!.messageId);
    expect(stored?.from).toBe('"Exampleshire \\"Test\\" Partnership (invented)" <reviews@example.org>');
    expect(await rawMessage(outcome!.messageId)).toMatch(
      /^from: "Exampleshire \\"Test\\" Partnership \(invented\)" <reviews@example\.org>$/im,
    );
  });

  it('sends no Reply-To when the message gives none', async () => {
    const mailer = await mailerOn(await dynamo.freshTable());
    const [email] = emails('no-reply-to', 1);

    const [outcome] = await mailer.sendEachOnce([email!]);

    const stored = (await ses.listEmails()).find((sent) => sent.messageId === outcome!.messageId);
    expect(stored?.replyTo).toEqual([]);
  });

  describe('header safety', () => {
    const injected = '\r\nBcc: x@example.org';
    const attempts: [string, (message: EmailMessage) => EmailMessage, string][] = [
      ['a subject', (message) => ({ ...message, subject: `${message.subject}${injected}` }), 'subject'],
      ['an address', (message) => ({ ...message, to: [`${message.to[0]}${injected}`] }), 'to.0'],
      ['a copy address', (message) => ({ ...message, cc: ['copy@example.org', `c${injected}`] }), 'cc.1'],
      [
        'a reply-to address',
        (message) => ({ ...message, replyTo: [`team@example.org${injected}`] }),
        'replyTo.0',
      ],
      [
        'an attachment file name',
        (message) => ({
          ...message,
          attachments: [
            {
              fileName: `letter.pdf${injected}`,
              contentType: 'application/pdf',
              content: new Uint8Array([37]),
            },
          ],
        }),
        'attachments.0.fileName',
      ],
      [
        'a subject with a bare line feed',
        (message) => ({ ...message, subject: 'Invented\nX-Injected: yes' }),
        'subject',
      ],
      ['a subject with a NUL', (message) => ({ ...message, subject: 'Invented\u0000 subject' }), 'subject'],
    ];

    it.each(attempts)(
      'refuses %s carrying a line break, naming the field, claiming and sending nothing',
      async (_, inject, field) => {
        const tableName = await dynamo.freshTable();
        const [email] = emails(`injected-${field}`, 1);
        const message = inject(email!.message);

        const refused = await (await mailerOn(tableName))
          .sendEachOnce([{ key: email!.key, message }])
          .catch((error: unknown) => error);

        expect(refused).toBeInstanceOf(UnsafeEmailHeaderError);
        expect((refused as UnsafeEmailHeaderError).fields).toEqual([field]);
        expect((refused as Error).message).toContain(field);
        expect(isTransient(refused)).toBe(false);
        expect(await claimOf(tableName, email!.key)).toBeUndefined();
        const stored = await ses.listEmails();
        expect(
          stored.filter(
            (sent) => sent.subject.includes(`injected-${field}`) || sent.to.some((to) => to.includes('Bcc')),
          ),
        ).toEqual([]);
      },
    );

    it('sends header-looking text without a line break as text: the raw message SES makes holds no added header', async () => {
      const mailer = await mailerOn(await dynamo.freshTable());
      const [email] = emails('header-text', 1);

      const [outcome] = await mailer.sendEachOnce([
        {
          key: email!.key,
          message: { ...email!.message, subject: `${email!.message.subject} Bcc: x@example.org` },
        },
      ]);
      const raw = await rawMessage(outcome!.messageId);

      expect(headerNames(raw)).not.toContain('bcc');
      expect(raw).not.toMatch(/^bcc:/im);
      expect(raw).toMatch(/^subject: header-text email 1 \(invented\) Bcc: x@example\.org$/im);
    });
  });
});
