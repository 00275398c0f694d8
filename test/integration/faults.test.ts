import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem, agencyLinkIn, type InboxEmail, ReviewClient } from '../../local/demo/review-client.ts';
import { demoSummaryPdf } from '../../local/demo/run-review.ts';
import { localClientConfig, type RunningDynamoDb, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { freePort, pollUntil } from '../../local/free-port.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { type RunningSes, startLocalSes } from '../../local/ses.ts';
import { FaultProxy, s3Unavailable, s3Write, sesSend, sesUnavailable } from '../support/fault-proxy.ts';
import type { FaultStackConfig, FaultStackReady } from '../support/fault-stack.ts';

/**
 * Whole Rapid Reviews on the local stack while faults are injected (issue 8, item 7). The stack
 * runs in a child process (test/support/fault-stack.ts) so it can be killed outright; what must
 * outlive it runs here: DynamoDB Local with its tables on disk, the SES inbox, and two loopback
 * proxies the handlers reach S3 and SES through, which refuse or hold requests while a fault is
 * on. Each fault runs one review from notification to the Panel's email, in virtual time, and
 * then checks that the case finished, that no email went twice and that no document was lost.
 */

/** Every function's timeout here, in real seconds: short, so a hung send times out quickly. */
const FUNCTION_TIMEOUT_SECONDS = 5;
const stackFile = fileURLToPath(new URL('../support/fault-stack.ts', import.meta.url));

interface Outcome {
  fault: string;
  injected: string;
  casesFinished: string;
  emailsDuplicated: number;
  documentsLost: number;
  seconds: string;
}
const outcomes: Outcome[] = [];
/** Every case the suite opened. */
const opened: string[] = [];

let workDirectory: string;
let dynamodb: RunningDynamoDb;
let dynamodbPort: number;
let ses: RunningSes;
let s3Proxy: FaultProxy;
let sesProxy: FaultProxy;
let child: ChildProcess | undefined;
let client: ReviewClient;
let sfnEndpoint: string;
let config: FaultStackConfig;

const dynamodbDirectory = () => join(workDirectory, 'dynamodb');

async function startDynamoDb(): Promise<void> {
  dynamodb = await startDynamoDbLocal({ dataDirectory: dynamodbDirectory(), port: dynamodbPort });
}

/** Starts the stack's child process (on the same data as before, after a restart). */
async function startStack(): Promise<void> {
  const started = spawn(process.execPath, ['--import', 'tsx', stackFile], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, FAULT_STACK: JSON.stringify(config) },
  });
  child = started;
  const ready = await new Promise<FaultStackReady>((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`The fault stack exited (${code}) before it was ready`)));
    started.once('message', (message) => resolve(message as FaultStackReady));
  });
  s3Proxy.setTarget(ready.s3Endpoint);
  sfnEndpoint = ready.sfnEndpoint;
  client = new ReviewClient({ apiUrl: ready.apiUrl, sesUrl: ses.sesUrl });
}

/** Stops the stack: SIGTERM (a clean stop) or SIGKILL (the whole stack killed outright). */
async function stopStack(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const running = child;
  child = undefined;
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  running.kill(signal);
  await exited;
}

beforeAll(async () => {
  workDirectory = mkdtempSync(join(tmpdir(), 'faults-'));
  dynamodbPort = await freePort();
  await startDynamoDb();
  ses = await startLocalSes();
  s3Proxy = await FaultProxy.start();
  sesProxy = await FaultProxy.start(ses.endpoint);
  config = {
    dataDirectory: join(workDirectory, 'stack'),
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: 'cases-faults',
    s3Proxy: s3Proxy.url,
    sesProxy: sesProxy.url,
    functionTimeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
    start: '2026-03-04T10:00:00Z',
  };
  await startStack();
});

afterAll(async () => {
  await stopStack('SIGTERM');
  await s3Proxy?.stop();
  await sesProxy?.stop();
  await ses?.stop();
  await dynamodb?.stop();
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  // Written past the console, which this configuration silences for tests that pass.
  if (outcomes.length > 0) process.stdout.write(`\n${faultTable(outcomes)}\n\n`);
});

/** Where a fault goes in: before the agencies return, before the clock moves to the deadlines, or at the decision. */
interface Injection {
  /** Submits the notification under the idempotency key; by default at once. */
  submit?(notification: unknown, idempotencyKey: string): Promise<{ caseId: string; reference: string }>;
  beforeReturns?(caseId: string): Promise<void>;
  /** Uploads one agency's summary; by default at once. */
  upload?(link: string, agency: string): Promise<void>;
  beforeDeadlines?(caseId: string): Promise<void>;
  decide?(caseId: string): Promise<void>;
}

const decision = {
  commissionLocalReview: true,
  localReviewReason:
    'Invented reason for a fault test: the accounts suggest learning about information sharing.',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented reason for a fault test: the issues are local.',
};

const uploadSummary = (link: string, agency: string) =>
  client.uploadSummary(link, {
    name: `${agency} summary (invented).pdf`,
    type: 'application/pdf',
    bytes: demoSummaryPdf(agency),
  });

/**
 * One whole review, as the demo runs it (local/demo/run-review.ts), with the faults going in
 * where `injection` says: every agency but the last returns, the clock moves to each deadline,
 * the team completes the report, the chair decides, the partners sign off, and the outcome
 * reaches the Panel.
 */
async function review(injection: Injection = {}): Promise<{ caseId: string; reference: string }> {
  const notification = sampleNotification();
  const submit = injection.submit ?? ((body: unknown, key: string) => client.submitNotification(body, key));
  const { caseId, reference } = await submit(notification, randomUUID());
  opened.push(caseId);
  const spocs = new Set(notification.agencies.map((agency) => agency.spoc.email));
  const requests = await client.waitForEmails(
    'a summary request to every agency',
    (email) => email.subject.includes(reference) && email.destination.to.some((to) => spocs.has(to)),
    { count: spocs.size },
  );
  await injection.beforeReturns?.(caseId);
  const returning = notification.agencies.slice(0, -1);
  for (const agency of returning) {
    const email = requests.find((request) => request.destination.to.includes(agency.spoc.email))!;
    await (injection.upload ?? uploadSummary)(agencyLinkIn(email), agency.name);
  }
  await client.waitForCase(
    caseId,
    'returns recorded',
    (view) => view.agencies.filter((agency) => agency.status === 'received').length === returning.length,
  );
  await injection.beforeDeadlines?.(caseId);
  await client.settle();
  for (let jumps = 0; (await client.getCase(caseId)).status !== 'awaiting-decision'; jumps += 1) {
    if (jumps > 12) throw new Error('The case never reached the decision');
    await client.advanceToNext();
  }
  await client.writeReport(caseId);
  await (injection.decide ?? ((id: string) => client.recordDecision(id, decision).then(() => {})))(caseId);
  await client.allPartnersAgree(caseId);
  await client.waitForCase(caseId, 'completed', (view) => view.status === 'completed', 60_000);
  return { caseId, reference };
}

/** The review's emails: those naming its reference. */
async function emailsOf(reference: string): Promise<InboxEmail[]> {
  return (await client.emails()).filter(
    (email) => email.subject.includes(reference) || (email.body.text ?? '').includes(reference),
  );
}

/** How many emails went more than once: the same recipients, subject and text. */
function duplicates(emails: readonly InboxEmail[]): number {
  const seen = new Map<string, number>();
  for (const email of emails) {
    const key = JSON.stringify([
      [...email.destination.to].sort(),
      [...email.destination.cc].sort(),
      email.subject,
      email.body.text,
    ]);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].reduce((sum, count) => sum + count - 1, 0);
}

/**
 * The documents every finished review has (shared/use-cases/show-case.ts). The notification is
 * printed on request (GET /cases/{caseId}/notification.pdf), never listed as its JSON document.
 */
const caseDocuments = ['Collated report', 'Decision', 'Covering letter'];

/**
 * Documents lost: those every finished case has that the case does not list (it lists only what
 * it finds in the bucket), and those it lists that cannot be read back.
 */
async function lostDocuments(caseId: string): Promise<number> {
  const view = await client.getCase(caseId);
  let lost = caseDocuments.filter(
    (name) => !view.documents.some((document) => document.name === name),
  ).length;
  for (const document of view.documents) {
    const response = document.downloadUrl ? await fetch(document.downloadUrl) : undefined;
    const bytes = response?.ok ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
    const text = Buffer.from(bytes).toString('latin1');
    // The report's Word copy is a ZIP; every other document is a PDF.
    const readable = document.name.endsWith('(Word)') ? text.startsWith('PK') : text.startsWith('%PDF-');
    if (!readable) lost += 1;
  }
  return lost;
}

/** How many task attempts of the case's execution have failed so far (its history, from Step Functions). */
async function failedStepAttempts(caseId: string): Promise<number> {
  const sfn = new SFNClient(localClientConfig(sfnEndpoint));
  try {
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    for (const machine of stateMachines) {
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }),
      );
      const execution = executions.find((candidate) => candidate.name === caseId);
      if (!execution) continue;
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }),
      );
      return events.filter((event) => event.type === 'LambdaFunctionFailed' || event.type === 'TaskFailed')
        .length;
    }
    return 0;
  } finally {
    sfn.destroy();
  }
}

/** Runs one fault's review and its checks, and keeps the row for the table. */
async function rehearse(fault: string, injected: string, injection: Injection) {
  const started = performance.now();
  const { caseId, reference } = await review(injection);
  const view = await client.getCase(caseId);
  const emails = await emailsOf(reference);
  const outcome: Outcome = {
    fault,
    injected,
    casesFinished: `${view.status === 'completed' && view.workflow.status === 'SUCCEEDED' ? 1 : 0}/1`,
    emailsDuplicated: duplicates(emails),
    documentsLost: await lostDocuments(caseId),
    seconds: ((performance.now() - started) / 1000).toFixed(1),
  };
  outcomes.push(outcome);

  expect(view.status).toBe('completed');
  expect(view.workflow.status).toBe('SUCCEEDED');
  expect(outcome.emailsDuplicated).toBe(0);
  expect(outcome.documentsLost).toBe(0);
  expect(view.agencies.filter((agency) => agency.status === 'received')).toHaveLength(3);
  expect(emails.filter((email) => email.destination.to.includes('panel.mailbox@example.org'))).toHaveLength(
    1,
  );
  return { caseId, reference, view, emails };
}

function faultTable(rows: readonly Outcome[]): string {
  const header: Outcome = {
    fault: 'fault',
    injected: 'what was injected',
    casesFinished: 'cases finished',
    emailsDuplicated: 'emails duplicated' as never,
    documentsLost: 'documents lost' as never,
    seconds: 'time (s)',
  };
  const all = [header, ...rows];
  const columns = Object.keys(header) as (keyof Outcome)[];
  const widths = columns.map((column) => Math.max(...all.map((row) => String(row[column]).length)));
  const line = (row: Outcome) =>
    `| ${columns.map((column, index) => String(row[column]).padEnd(widths[index]!)).join(' | ')} |`;
  return [
    'Faults rehearsed on the local stack:',
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

describe('whole Rapid Reviews on the local stack, under faults', () => {
  it('survives DynamoDB Local stopped mid-review: refused while down, nothing lost once it is back with its data', async () => {
    let whileDown: number | undefined;
    let stepAttemptsWhileDown = 0;
    await rehearse(
      'DynamoDB stopped',
      'DynamoDB Local stopped for 2 s between steps (the API asked meanwhile), then again while a step ran; restarted on its port and data',
      {
        async beforeReturns(caseId) {
          // Between steps, with agencies at work.
          await client.settle();
          await dynamodb.stop();
          whileDown = await client.getCase(caseId).then(
            () => 200,
            (error: unknown) => (error instanceof ApiProblem ? error.status : 0),
          );
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          await startDynamoDb();
        },
        async beforeDeadlines(caseId) {
          // While a step runs: the clock moves to the next deadline with DynamoDB down, the step
          // fails and is retried by the workflow's own Retry until DynamoDB is back.
          await client.settle();
          await dynamodb.stop();
          const advanced = client.advanceToNext();
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          stepAttemptsWhileDown = await failedStepAttempts(caseId);
          await startDynamoDb();
          await advanced;
        },
      },
    );

    expect(whileDown).toBe(503);
    expect(stepAttemptsWhileDown).toBeGreaterThan(0);
  });

  it('survives S3 refusing writes: an upload refused while it lasts is taken once it clears, and collation gets through', async () => {
    let refusedUpload: unknown;
    let refusedNotification: number | undefined;
    await rehearse(
      'S3 refusing writes',
      'every S3 write answered 503 during the notification and an upload; then the next 5 writes at the deadlines',
      {
        async submit(notification, idempotencyKey) {
          s3Proxy.refuse(s3Write, s3Unavailable);
          refusedNotification = await client.submitNotification(notification, idempotencyKey).then(
            () => 201,
            (error: unknown) => (error instanceof ApiProblem ? error.status : 0),
          );
          s3Proxy.clear();
          return client.submitNotification(notification, idempotencyKey);
        },
        async upload(link, agency) {
          if (refusedUpload === undefined) {
            s3Proxy.refuse(s3Write, s3Unavailable);
            refusedUpload = await uploadSummary(link, agency).then(
              () => 'accepted',
              (error: unknown) => error,
            );
            s3Proxy.clear();
          }
          await uploadSummary(link, agency);
        },
        async beforeDeadlines() {
          s3Proxy.refuse(s3Write, s3Unavailable, 5);
        },
      },
    );

    expect(refusedNotification).toBe(503);
    expect(String(refusedUpload)).toContain('503');
    expect(s3Proxy.refused).toBeGreaterThanOrEqual(6);
  });

  it('survives SES failing, then recovering: every email once', async () => {
    const before = sesProxy.refused;
    await rehearse(
      'SES failing',
      'the next 5 sends answered 503 (more than one attempt of the SDK), then SES recovers',
      {
        async beforeDeadlines() {
          sesProxy.refuse(sesSend, sesUnavailable, 5);
        },
      },
    );

    expect(sesProxy.refused - before).toBe(5);
  });

  it('survives a function stuck after claiming an email and before sending it: it gives up before its timeout, the retry sends it once', async () => {
    const before = sesProxy.held;
    await rehearse(
      'stuck after claim',
      `a send held unanswered: the attempt gives up 2 s before its ${FUNCTION_TIMEOUT_SECONDS} s timeout and releases its claim`,
      {
        async beforeDeadlines() {
          sesProxy.hold(sesSend, 1);
        },
      },
    );

    expect(sesProxy.held - before).toBe(1);
  });

  it('survives the whole stack killed mid-step and restarted: the execution resumes from its store and the claimed email goes once', async () => {
    await rehearse(
      'stack killed',
      'SIGKILL of the stack while a step had claimed an email and was sending it; restarted on its data',
      {
        async beforeDeadlines() {
          const held = sesProxy.held;
          sesProxy.hold(sesSend, 1);
          const moving = client.advanceToNext().catch(() => undefined);
          await pollUntil(
            'a send held',
            async () => sesProxy.held,
            (count) => count > held,
            { timeoutMs: 20_000 },
          );
          await stopStack('SIGKILL');
          await moving;
          sesProxy.dropHeld();
          await startStack();
          await client.settle();
        },
      },
    );
  });

  it('records exactly one of two decisions arriving at once, refuses the other, and emails the Panel once', async () => {
    const answers: unknown[] = [];
    const recorded = await rehearse('two decisions at once', 'two decisions posted together by the chair', {
      async decide(caseId) {
        answers.push(
          ...(await Promise.allSettled([
            client.recordDecision(caseId, decision),
            client.recordDecision(caseId, { ...decision, commissionLocalReview: false }),
          ])),
        );
      },
    });

    const statuses = answers.map((answer) =>
      (answer as PromiseSettledResult<unknown>).status === 'fulfilled'
        ? 'recorded'
        : ((answer as PromiseRejectedResult).reason as ApiProblem).status,
    );
    expect(statuses.sort()).toEqual([409, 'recorded']);
    const { view } = recorded;
    expect(view.audit.filter((event) => event.action === 'decision.recorded')).toHaveLength(1);
  });

  it('lost no case and sent no email twice over the whole suite: every case opened is in the table, completed, and the inbox holds one email per claim', async () => {
    const table = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamodb.endpoint)));
    const items: Record<string, unknown>[] = [];
    try {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.send(
          new ScanCommand({ TableName: config.tableName, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
    } finally {
      table.destroy();
    }
    const cases = items.filter((item) => item.sk === 'CASE');
    const claims = items.filter((item) => String(item.pk).startsWith('EMAIL#'));

    expect(opened.length).toBeGreaterThanOrEqual(6);
    expect(cases.map((item) => item.caseId).sort()).toEqual([...opened].sort());
    expect(cases.map((item) => item.status)).toEqual(opened.map(() => 'completed'));
    expect(claims.filter((claim) => claim.status !== 'sent')).toEqual([]);
    expect((await ses.listEmails()).length).toBe(claims.length);
  });
});
