import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { waitFor } from '../../local/free-port.ts';
import { type RunningS3, startLocalS3 } from '../../local/s3.ts';
import { type LocalStack, localResourceNames, startLocalStack } from '../../local/stack.ts';
import { simpleContent } from '../../shared/adapters/mailer.ts';
import { envNames } from '../../shared/env.ts';
import { DynamoDbLearningStore } from '../../shared/stores/learning-store.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

const start = new Date('2026-03-09T09:00:00.000Z');

/** Processes whose command line mentions `text` (DynamoDB Local's java names its data directory). */
function processesMentioning(text: string): { pid: number; args: string }[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2]! }))
    .filter((entry) => entry.args.includes(text) && !entry.args.startsWith('ps '));
}

function s3Client(endpoint: string) {
  return new S3Client({
    ...localClientConfig(endpoint),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

async function call(stack: LocalStack, path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : undefined,
  };
}

async function tokenFor(stack: LocalStack, role: string): Promise<string> {
  const { body } = await call(stack, '/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  return body.token;
}

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the local stack', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'local-stack-'));
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ dataDirectory, start, speed: 0, retryIntervalScale: 0.001, quiet: true });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('answers 401 problem JSON on a staff route without a valid bearer token', async () => {
    const withoutToken = await call(stack, `/api/cases/${randomUUID()}`);
    const withForgedToken = await call(stack, `/api/cases/${randomUUID()}`, {
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
    });

    expect(withoutToken.status).toBe(401);
    expect(withoutToken.contentType).toBe('application/problem+json');
    expect(withoutToken.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(withForgedToken.status).toBe(401);
  });

  it('gives a token for an invented user of a role, and names the field when the role is wrong', async () => {
    const given = await call(stack, '/local/token', postJson({ role: 'rrg-chair' }));
    const refused = await call(stack, '/local/token', postJson({ role: 'head-teacher' }));

    expect(given.status).toBe(200);
    expect(given.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(given.body.user).toMatchObject({ role: 'rrg-chair', name: expect.stringContaining('(demo)') });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it('reaches the handler of a staff route, which answers 404 problem JSON for an unknown case', async () => {
    const token = await tokenFor(stack, 'partnership-team');

    const answer = await call(stack, `/api/cases/${randomUUID()}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(answer.status).toBe(404);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 404 });
  });

  it('lets the handler refuse a valid token whose role does not fit the route', async () => {
    const token = await tokenFor(stack, 'notifier');

    const answer = await call(stack, `/api/cases/${randomUUID()}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(answer.status).toBe(403);
  });

  it('refuses, over HTTP, a session cookie captured before sign-out once signed out', async () => {
    const page = (path: string, init: RequestInit = {}) =>
      fetch(`${stack.apiUrl}${path}`, { redirect: 'manual', ...init });
    const cookieFrom = (response: Response, name: string) =>
      response.headers
        .getSetCookie()
        .find((cookie) => cookie.startsWith(`${name}=`))
        ?.split(';')[0];
    const csrfTokenIn = (html: string) => /name="csrfToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = (fields: Record<string, string>, cookie: string): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(fields).toString(),
    });

    const signInPage = await page('/sign-in');
    const csrfCookie = cookieFrom(signInPage, '__Host-csrf') ?? '';
    const signedIn = await page(
      '/sign-in',
      form(
        { role: 'partnership-team', returnTo: '/cases', csrfToken: csrfTokenIn(await signInPage.text()) },
        csrfCookie,
      ),
    );
    const session = cookieFrom(signedIn, '__Host-session') ?? '';
    expect(signedIn.status).toBe(303);
    expect(session).toMatch(/^__Host-session=.+/);

    const cases = await page('/cases', { headers: { cookie: session } });
    expect(cases.status).toBe(200);
    const signedOut = await page('/sign-out', form({ csrfToken: csrfTokenIn(await cases.text()) }, session));
    expect(signedOut.status).toBe(303);

    // The captured cookie is still signed and unexpired; the server has revoked it.
    const afterwards = await page('/cases', { headers: { cookie: session } });
    expect(afterwards.status).toBe(303);
    expect(afterwards.headers.get('location')).toBe('/sign-in?returnTo=%2Fcases');
  });

  it('tells the virtual time and moves it by a duration', async () => {
    const before = await call(stack, '/local/clock');

    const moved = await call(stack, '/local/clock/advance', postJson({ by: 'P2D' }));

    expect(before.body).toMatchObject({ now: start.toISOString(), speed: 0, pending: [] });
    expect(moved.status).toBe(200);
    expect(moved.body.now).toBe('2026-03-11T09:00:00.000Z');
  });

  it('refuses a bad advance, naming the field', async () => {
    const neither = await call(stack, '/local/clock/advance', postJson({}));
    const badDuration = await call(stack, '/local/clock/advance', postJson({ by: 'two days' }));
    const badInstant = await call(stack, '/local/clock/advance', postJson({ to: 'tomorrow' }));
    const past = await call(stack, '/local/clock/advance', postJson({ to: '2020-01-01T00:00:00Z' }));
    const nothingPending = await call(stack, '/local/clock/advance', postJson({ to: 'next' }));

    expect(neither.status).toBe(400);
    expect(neither.body.errors[0].field).toBe('to');
    expect(badDuration.body.errors[0].field).toBe('by');
    expect(badInstant.body.errors[0].field).toBe('to');
    expect(past.body.errors[0].field).toBe('to');
    expect(nothingPending.status).toBe(409);
  });

  it('shows an SES email with its attachment in the local inbox', async () => {
    const ses = new SESv2Client(localClientConfig(new URL(stack.sesUrl).origin));
    const subject = `Rapid Review outcome ${randomUUID()}`;

    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'rapid-reviews@example.org',
        Destination: { ToAddresses: ['panel.mailbox@example.org'] },
        ConfigurationSetName: localResourceNames.sesConfigurationSet,
        Content: simpleContent({
          to: ['panel.mailbox@example.org'],
          subject,
          text: 'Invented test email.',
          attachments: [
            {
              fileName: 'report.pdf',
              contentType: 'application/pdf',
              content: new TextEncoder().encode('%PDF-1.7'),
            },
          ],
        }),
      }),
    );

    const email = (await stack.inbox.listEmails()).find((candidate) => candidate.subject === subject);
    expect(email).toMatchObject({
      to: ['panel.mailbox@example.org'],
      text: 'Invented test email.',
      attachments: [{ fileName: 'report.pdf', contentType: 'application/pdf', size: 8 }],
    });
    ses.destroy();
  });

  it('stops every child process and keeps the table and documents across a restart', async () => {
    const dynamo = new DynamoDBClient(localClientConfig(stack.dynamodbEndpoint));
    const itemKey = { pk: { S: `TEST#${randomUUID()}` }, sk: { S: 'TEST' } };
    await dynamo.send(new PutItemCommand({ TableName: localResourceNames.table, Item: itemKey }));
    dynamo.destroy();
    const documentKey = `cases/${randomUUID()}/notification.json`;
    const s3 = s3Client(stack.s3Endpoint);
    await s3.send(
      new PutObjectCommand({
        Bucket: localResourceNames.documentBucket,
        Key: documentKey,
        Body: '{"demo":true}',
      }),
    );
    s3.destroy();
    const token = await tokenFor(stack, 'partnership-team');
    const javaBefore = processesMentioning(dataDirectory).filter((entry) => /\bjava\b/.test(entry.args));
    const apiUrlBefore = stack.apiUrl;

    await stack.stop();
    const stillRunningAfterStop = processesMentioning(dataDirectory);
    stack = await startLocalStack({ dataDirectory, speed: 0, quiet: true });

    expect(javaBefore).toHaveLength(1);
    expect(stillRunningAfterStop).toEqual([]);
    const dynamoAgain = new DynamoDBClient(localClientConfig(stack.dynamodbEndpoint));
    const { Item } = await dynamoAgain.send(
      new GetItemCommand({ TableName: localResourceNames.table, Key: itemKey }),
    );
    dynamoAgain.destroy();
    expect(Item).toEqual(itemKey);
    const s3Again = s3Client(stack.s3Endpoint);
    const document = await s3Again.send(
      new GetObjectCommand({ Bucket: localResourceNames.documentBucket, Key: documentKey }),
    );
    expect(await document.Body?.transformToString()).toBe('{"demo":true}');
    s3Again.destroy();
    expect(stack.apiUrl).toBe(apiUrlBefore);
    expect(stack.clock.now().toISOString()).toBe('2026-03-11T09:00:00.000Z');
    const stillSignedIn = await call(stack, `/api/cases/${randomUUID()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(stillSignedIn.status).toBe(404);
  });

  it('runs the daily chasing of actions when the virtual clock passes its run time, as EventBridge does at 03:00 UTC', async () => {
    // An open action due five days from the virtual today, written as the learning pages write it.
    const dueOn = new Date(stack.clock.now().getTime() + 5 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const ownerEmail = `owner.${randomUUID()}@example.org`;
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(stack.dynamodbEndpoint)),
    );
    const learning = new DynamoDbLearningStore(
      documents,
      stack.tableName,
      auditTableNameFor(stack.tableName),
    );
    const at = stack.clock.now().toISOString();
    await learning.createAction(
      {
        actionId: randomUUID(),
        reviewKind: 'rapid-review',
        reviewId: randomUUID(),
        reviewReference: 'RR-2026-0999',
        number: 1,
        source: 'immediate-learning',
        recommendation: 'Health visitors ask about sleeping arrangements at every visit (invented).',
        description: 'Add the question to the visit template (invented).',
        theme: 'safe-sleep',
        scope: 'single-agency',
        owningAgencyId: 'health',
        owningAgencyName: 'Health (invented)',
        otherAgencyIds: [],
        otherAgencyNames: [],
        ownerRole: 'Named nurse for safeguarding',
        ownerEmail,
        dueOn,
        status: 'not-started',
        progress: [],
        remindersSent: [],
        version: 1,
        createdAt: at,
        createdBy: 'user-partnership-team-demo',
        updatedAt: at,
      },
      { actor: { kind: 'system', id: 'test' }, at, action: 'learning.action-added', reason: 'Invented' },
    );
    const toOwner = async () =>
      (await stack.inbox.listEmails()).filter((email) => email.to.includes(ownerEmail));

    const unmoved = await toOwner();
    await call(stack, '/local/clock/advance', postJson({ by: 'P1D' }));
    const reminded = await toOwner();
    await call(stack, '/local/clock/advance', postJson({ by: 'PT1H' }));

    expect(unmoved).toEqual([]);
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.text).toMatch(/\/action\/[A-Za-z0-9_-]{43}/);
    // Not again within the same day, nor for the same rung.
    expect(await toOwner()).toHaveLength(1);
    documents.destroy();
  });
});

describe('the local stack on a DynamoDB already running', () => {
  it('starts no DynamoDB of its own, keeps its cases in a table of its own there, and leaves that DynamoDB running when it stops', async () => {
    // Prepare
    const dataDirectory = mkdtempSync(join(tmpdir(), 'local-stack-shared-'));
    const endpoint = sharedDynamoDbEndpoint();
    const dynamo = new DynamoDBClient(localClientConfig(endpoint));
    const tableName = `cases-local-${randomUUID()}`;
    try {
      // Act
      const running = await startLocalStack({
        dataDirectory,
        speed: 0,
        quiet: true,
        existingDynamoDb: { endpoint, tableName },
      });
      const javaWhileRunning = processesMentioning(dataDirectory);
      const tableWhileRunning = process.env[envNames.tableName];
      await running.stop();
      const unnamed = await startLocalStack({
        dataDirectory,
        speed: 0,
        quiet: true,
        existingDynamoDb: { endpoint },
      });
      await unnamed.stop();

      // Assess
      expect(javaWhileRunning).toEqual([]);
      expect(running.dynamodbEndpoint).toBe(endpoint);
      expect(running.tableName).toBe(tableName);
      expect(tableWhileRunning).toBe(tableName);
      expect(unnamed.tableName).toMatch(/^cases-local-[0-9a-f-]{36}$/);
      const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
      expect(tables).toEqual(expect.arrayContaining([tableName, unnamed.tableName]));
      expect(tables).not.toContain(localResourceNames.table);
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1', 'gsi2']);
    } finally {
      dynamo.destroy();
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  });
});

describe('the local S3', () => {
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const delivered: S3Event[] = [];
  let failuresLeft = 0;
  let s3: RunningS3;

  beforeAll(async () => {
    s3 = await startLocalS3({
      directory,
      buckets: ['uploads-test'],
      onObjectCreated: [
        {
          bucket: 'uploads-test',
          prefix: 'uploads/',
          name: 'record-summary',
          handle: async (event) => {
            delivered.push(event);
            if (failuresLeft > 0) {
              failuresLeft--;
              throw new Error('transient');
            }
          },
        },
      ],
      retryDelaysMs: [10, 10],
      log: () => {},
    });
  });
  afterAll(async () => {
    await s3?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('hands an upload under uploads/ to the upload handler with the key URL-encoded as AWS does', async () => {
    const client = s3Client(s3.endpoint);
    const key = `uploads/${randomUUID()}/police/summary (v2)+final.pdf`;

    await client.send(new PutObjectCommand({ Bucket: 'uploads-test', Key: key, Body: 'summary bytes' }));
    await client.send(
      new PutObjectCommand({ Bucket: 'uploads-test', Key: 'elsewhere/file', Body: 'ignored' }),
    );

    await waitFor('the upload event', async () => delivered.length > 0);
    await s3.whenIdle();
    client.destroy();
    expect(delivered).toHaveLength(1);
    const record = delivered[0]!.Records[0]!;
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.bucket.name).toBe('uploads-test');
    expect(record.s3.object.key).toBe(key.replace('summary (v2)+final.pdf', 'summary+%28v2%29%2Bfinal.pdf'));
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(key);
    expect(record.s3.object.size).toBe('summary bytes'.length);
  });

  it('retries a failing upload handler twice, like an asynchronous Lambda invocation', async () => {
    const client = s3Client(s3.endpoint);
    delivered.length = 0;
    failuresLeft = 5;

    await client.send(
      new PutObjectCommand({
        Bucket: 'uploads-test',
        Key: `uploads/${randomUUID()}/health/summary`,
        Body: 'x',
      }),
    );

    await waitFor('the upload event', async () => delivered.length > 0);
    await s3.whenIdle();
    client.destroy();
    expect(delivered).toHaveLength(3);
  });
});
