import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awaitDecision } from '../../../shared/use-cases/await-decision.ts';
import {
  fakeService,
  makeReadyToSubmit,
  openSampleCase,
  PUBLIC_BASE_URL,
  sampleDecision,
} from './workflow-fakes.ts';

const sfn = new SFNClient({ region: 'eu-west-2' });
const sfnMock = mockClient(sfn);
const TOKEN = 'task-token-invented-for-the-test';

describe('await-decision', () => {
  afterEach(() => sfnMock.reset());

  async function aCaseAwaitingDecision(changes = {}) {
    const fakes = fakeService('2026-03-19T09:00:20Z', { sfn });
    const record = await openSampleCase(fakes.cases, {
      changes: { status: 'awaiting-decision', ...changes },
    });
    return { ...fakes, record };
  }

  it('stores the callback token on the case and asks the chair for the decision by the deadline', async () => {
    const { service, cases, mailer, record } = await aCaseAwaitingDecision();

    const result = await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });

    expect(result.outcome).toBe('waiting');
    expect(await cases.getDecisionToken(record.caseId)).toEqual({ taskToken: TOKEN, attempt: 1 });
    expect(mailer.sent.map((email) => email.key)).toEqual([`${record.caseId}:AwaitDecision:1`]);
    const [request] = mailer.to('rrg-chair@example.org');
    expect(request?.text).toContain('by 5pm on Tuesday 24 March 2026');
    expect(request?.text).toContain(`${PUBLIC_BASE_URL}/cases/${record.caseId}`);
    expect(request?.text).not.toContain(TOKEN);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('copies the deputy chairs the profile names, who may chair the case in the chair’s place', async () => {
    const { service, mailer, record } = await aCaseAwaitingDecision();
    const profile = {
      ...service.profile,
      rapidReviewGroup: {
        ...service.profile.rapidReviewGroup,
        deputyChairs: [
          { name: 'Deputy Chair (test)', email: 'rrg-deputy@example.org' },
          // The chair listed as a deputy too: not copied on their own email.
          { name: 'Chair Person (test)', email: 'RRG-Chair@example.org' },
        ],
      },
    };

    await awaitDecision({ ...service, profile }, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });

    const [request] = mailer.to('rrg-chair@example.org');
    expect(request?.cc).toEqual(['rrg-deputy@example.org']);
  });

  it('tells the chair both dates and which one the review works to', async () => {
    const { service, mailer, record } = await aCaseAwaitingDecision();

    await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });

    const [request] = mailer.to('rrg-chair@example.org');
    // The invented case was notified to the Panel on Wednesday 4 March 2026, the day the partnership heard.
    expect(request?.text).toContain(
      "The Panel expects this rapid review by Wednesday 25 March 2026. The partnership's own timetable finishes on Tuesday 24 March 2026. The review works to the partnership's timetable: the Panel's date is 1 working day later.",
    );
    expect(request?.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('says the 15 working days are the Panel’s expectation, not a statute, and whose decision it is, in the 2023 names', async () => {
    const { service, mailer, record } = await aCaseAwaitingDecision();

    await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });

    const [request] = mailer.to('rrg-chair@example.org');
    expect(request?.text).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    expect(request?.text).toContain(
      'The decision on a local review is for the safeguarding partners (the local authority, the chief officer of police and the integrated care board).',
    );
    expect(request?.text).not.toMatch(/statutory|clinical commissioning|\bCCGs?\b/i);
  });

  it('asks the chair once, on the first wait, however often it runs: later waits follow an escalation, which chases', async () => {
    const { service, mailer, record } = await aCaseAwaitingDecision();

    await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });
    await awaitDecision(service, { caseId: record.caseId, taskToken: `${TOKEN}-retry`, attempt: 1 });
    await awaitDecision(service, { caseId: record.caseId, taskToken: `${TOKEN}-2`, attempt: 2 });

    expect(mailer.sent.map((email) => email.key)).toEqual([`${record.caseId}:AwaitDecision:1`]);
  });

  it('asks nobody once the decision is in, while the sign-offs or the report are still awaited', async () => {
    const { service, mailer, record } = await aCaseAwaitingDecision({
      status: 'decided',
      decision: sampleDecision,
    });

    const result = await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 1 });

    expect(result.outcome).toBe('waiting');
    expect(mailer.sent).toEqual([]);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('completes the wait at once when the submission became ready while the token was being replaced', async () => {
    const { service, cases, mailer, record } = await aCaseAwaitingDecision({
      status: 'decided',
      decision: sampleDecision,
    });
    await makeReadyToSubmit(cases, record.caseId);
    sfnMock.on(SendTaskSuccessCommand).resolves({});

    const result = await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 2 });

    expect(result.outcome).toBe('already-ready');
    expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input)).toEqual([
      { taskToken: TOKEN, output: JSON.stringify({ readyAt: '2026-03-19T09:00:20.000Z' }) },
    ]);
    expect(await cases.getDecisionToken(record.caseId)).toEqual({ taskToken: TOKEN, attempt: 2 });
    expect(mailer.sent).toEqual([]);
  });

  it('accepts that the task was already closed by the change that made the submission ready', async () => {
    const { service, cases, record } = await aCaseAwaitingDecision({
      status: 'decided',
      decision: sampleDecision,
    });
    await makeReadyToSubmit(cases, record.caseId);
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const result = await awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 2 });

    expect(result.outcome).toBe('already-ready');
  });

  it('lets any other failure to complete the task fail the step', async () => {
    const { service, cases, record } = await aCaseAwaitingDecision({
      status: 'decided',
      decision: sampleDecision,
    });
    await makeReadyToSubmit(cases, record.caseId);
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    const waiting = awaitDecision(service, { caseId: record.caseId, taskToken: TOKEN, attempt: 2 });

    await expect(waiting).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
