import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { recordFailure, UNKNOWN_STEP } from '../../../shared/use-cases/record-failure.ts';
import { engineeringWordsIn } from '../../support/plain-words.ts';
import { fakeService, openSampleCase } from './workflow-fakes.ts';

const sfn = new SFNClient({ region: 'eu-west-2' });
const sfnMock = mockClient(sfn);
const EXECUTION_ARN = 'arn:aws:states:eu-west-2:111111111111:execution:rapid-review:invented';
const CAUSE = 'Invented cause quoting Demo Child One, which must never leave the execution history';

let nextId = 1;
const entered = (type: HistoryEvent['type'], name: string): HistoryEvent => ({
  id: nextId++,
  timestamp: new Date('2026-03-18T09:00:05Z'),
  type,
  stateEnteredEventDetails: { name },
});
const other = (type: HistoryEvent['type']): HistoryEvent => ({
  id: nextId++,
  timestamp: new Date('2026-03-18T09:00:05Z'),
  type,
});

/** Newest first, as GetExecutionHistory answers with reverseOrder. */
const historyOfAFailedCollation: HistoryEvent[] = [
  other('LambdaFunctionScheduled'),
  other('TaskScheduled'),
  entered('TaskStateEntered', 'RecordFailure'),
  other('TaskStateExited'),
  other('LambdaFunctionFailed'),
  other('LambdaFunctionStarted'),
  other('LambdaFunctionScheduled'),
  entered('TaskStateEntered', 'CollateReport'),
  other('WaitStateExited'),
  entered('WaitStateEntered', 'WaitForCollationDay'),
];

describe('record-failure', () => {
  afterEach(() => sfnMock.reset());

  async function aCaseThatFailed() {
    const fakes = fakeService('2026-03-18T09:00:06Z', { sfn });
    const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
    return { ...fakes, record };
  }
  const payload = (caseId: string) => ({
    caseId,
    executionArn: EXECUTION_ARN,
    error: 'Lambda.Unknown',
    cause: CAUSE,
  });

  it('finds the failed step in the execution history, newest first and without execution data', async () => {
    const { service, record } = await aCaseThatFailed();
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: historyOfAFailedCollation });

    const result = await recordFailure(service, payload(record.caseId));

    expect(result.step).toBe('CollateReport');
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)[0]?.args[0].input).toMatchObject({
      executionArn: EXECUTION_ARN,
      reverseOrder: true,
      includeExecutionData: false,
    });
  });

  it('reads further pages when the first holds only the failure path', async () => {
    const { service, record } = await aCaseThatFailed();
    sfnMock
      .on(GetExecutionHistoryCommand, { nextToken: undefined })
      .resolves({ events: historyOfAFailedCollation.slice(0, 5), nextToken: 'page-2' })
      .on(GetExecutionHistoryCommand, { nextToken: 'page-2' })
      .resolves({ events: historyOfAFailedCollation.slice(5) });

    const result = await recordFailure(service, payload(record.caseId));

    expect(result.step).toBe('CollateReport');
  });

  it("records 'unknown step' when the history cannot be read", async () => {
    const { service, cases, record } = await aCaseThatFailed();
    sfnMock.on(GetExecutionHistoryCommand).rejects(new Error('AccessDenied'));

    await recordFailure(service, payload(record.caseId));

    expect((await cases.getCase(record.caseId))?.failure?.step).toBe(UNKNOWN_STEP);
  });

  it("raises the case's fault flag with the step, the error name and the time, in an audit event, and keeps its status", async () => {
    const { service, cases, record } = await aCaseThatFailed();
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: historyOfAFailedCollation });

    await recordFailure(service, payload(record.caseId));

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case).toMatchObject({
      status: 'awaiting-summaries',
      failure: { step: 'CollateReport', error: 'Lambda.Unknown', at: '2026-03-18T09:00:06.000Z' },
    });
    const event = file.audit.find((candidate) => candidate.action === 'workflow.failed');
    expect(event).toMatchObject({
      eventId: `${record.caseId}:RecordFailure`,
      details: { step: 'CollateReport', error: 'Lambda.Unknown', status: 'awaiting-summaries' },
    });
    expect(JSON.stringify(file)).not.toContain(CAUSE);
  });

  it('tells the partnership team the case and, in words, what the service was doing, never the step, the error or the cause, once', async () => {
    const { service, mailer, cases, record } = await aCaseThatFailed();
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: historyOfAFailedCollation });

    await recordFailure(service, payload(record.caseId));
    await recordFailure(service, payload(record.caseId));

    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.to('partnership-team@example.org');
    expect(email?.subject).toContain(record.reference);
    expect(email?.text).toContain("while collating the agencies' summaries.");
    expect(email?.text).not.toContain('CollateReport');
    expect(email?.text).not.toContain('Lambda.Unknown');
    expect(email?.text).not.toContain(CAUSE);
    expect(engineeringWordsIn(email?.text ?? '')).toEqual([]);
    // The audit trail says it in the same words; the step and error stay in its details.
    const failed = (await cases.getCaseFile(record.caseId)).audit.find(
      (event) => event.action === 'workflow.failed',
    );
    expect(failed?.reason).toBe(
      "The service stopped working on the review while collating the agencies' summaries; it carries on from there once it is resumed",
    );
    expect(failed?.details).toMatchObject({ step: 'CollateReport', error: 'Lambda.Unknown' });
    expect(email?.text).not.toContain('Demo Child One');
  });

  it('on a second run keeps the first record of the failure', async () => {
    const { service, cases, clock, record } = await aCaseThatFailed();
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: historyOfAFailedCollation });
    await recordFailure(service, payload(record.caseId));
    const first = await cases.getCaseFile(record.caseId);
    clock.set('2026-03-18T09:10:00Z');

    await recordFailure(service, { ...payload(record.caseId), error: 'States.Runtime' });

    expect(await cases.getCaseFile(record.caseId)).toEqual(first);
  });
});
