import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { executionStatusChange, recordExecutionFault } from '../../../shared/use-cases/record-failure.ts';
import { fakeService, openSampleCase } from './workflow-fakes.ts';

const sfn = new SFNClient({ region: 'eu-west-2' });
const sfnMock = mockClient(sfn);
const MACHINE = 'arn:aws:states:eu-west-2:111111111111:stateMachine:rapid-review';

/** A status change as the EventBridge rule delivers it. */
function statusChange(name: string, status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', error: string | null) {
  return executionStatusChange.parse({
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:eu-west-2:111111111111:execution:rapid-review:${name}`,
      stateMachineArn: MACHINE,
      name,
      status,
      error,
      cause: 'Invented cause quoting Demo Child One (test)',
    },
  });
}

describe('record-execution-fault', () => {
  afterEach(() => sfnMock.reset());

  async function aRunningCase() {
    const fakes = fakeService('2026-03-18T09:00:06Z', { sfn });
    const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
    sfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 9,
          timestamp: new Date('2026-03-18T09:00:05Z'),
          type: 'WaitStateEntered',
          stateEnteredEventDetails: { name: 'WaitForFirstRung' },
        },
      ],
    });
    return { ...fakes, record };
  }

  it('raises the fault flag of a runtime error no Catch saw, keeps the status, and tells the team once however often the event comes', async () => {
    const { service, cases, mailer, record } = await aRunningCase();
    const event = statusChange(record.caseId, 'FAILED', 'States.Runtime');

    const first = await recordExecutionFault(service, event);
    await recordExecutionFault(service, event);

    expect(first).toEqual({ outcome: 'recorded', step: 'WaitForFirstRung' });
    const after = await cases.getCaseFile(record.caseId);
    expect(after.case).toMatchObject({
      status: 'awaiting-summaries',
      failure: { step: 'WaitForFirstRung', error: 'States.Runtime' },
    });
    expect(after.audit.filter((audit) => audit.action === 'workflow.failed')).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain('Demo Child One');
  });

  it('names an aborted execution without an error by its status', async () => {
    const { service, cases, record } = await aRunningCase();

    await recordExecutionFault(service, statusChange(record.caseId, 'ABORTED', null));

    expect((await cases.getCase(record.caseId))?.failure?.error).toBe('ExecutionAborted');
  });

  it('changes nothing for an execution that no longer runs the case (one resumed since), or a case that does not exist', async () => {
    const { service, cases, mailer, record } = await aRunningCase();
    await cases.updateCase(
      record,
      { resumes: 1 },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-18T09:00:00.000Z',
        action: 'case.resumed',
        reason: 'Invented (test)',
      },
    );

    const old = await recordExecutionFault(service, statusChange(record.caseId, 'FAILED', 'States.Runtime'));
    const unknown = await recordExecutionFault(
      service,
      statusChange('0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de', 'FAILED', 'States.Runtime'),
    );

    expect(old).toEqual({ outcome: 'not-current' });
    expect(unknown).toEqual({ outcome: 'no-case' });
    expect((await cases.getCase(record.caseId))?.failure).toBeUndefined();
    expect(mailer.sent).toHaveLength(0);
  });

  it('records a failure of a resumed execution under that resume’s own key, so the team is told again', async () => {
    const { service, cases, mailer, record } = await aRunningCase();
    await recordExecutionFault(service, statusChange(record.caseId, 'FAILED', 'States.Runtime'));
    const failed = (await cases.getCase(record.caseId))!;
    await cases.updateCase(
      failed,
      { resumes: 1, failure: undefined },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-18T09:05:00.000Z',
        action: 'case.resumed',
        reason: 'Invented (test)',
      },
    );

    await recordExecutionFault(service, statusChange(`${record.caseId}-resume-1`, 'TIMED_OUT', null));

    expect(mailer.sent.map((email) => email.key)).toEqual([
      `${record.caseId}:RecordFailure`,
      `${record.caseId}:RecordFailure:1`,
    ]);
    expect((await cases.getCase(record.caseId))?.failure?.error).toBe('ExecutionTimedOut');
  });

  it('refuses an event that is not a failed execution’s status change', () => {
    expect(
      executionStatusChange.safeParse({
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: { executionArn: 'x', name: 'x', status: 'SUCCEEDED' },
      }).success,
    ).toBe(false);
  });
});
