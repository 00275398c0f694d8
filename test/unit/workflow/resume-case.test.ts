import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { staffActor } from '../../../shared/schemas/roles.ts';
import { resumeFailedCase, resumePointFor } from '../../../shared/use-cases/resume-case.ts';
import { fakeService, openSampleCase } from './workflow-fakes.ts';

const sfn = new SFNClient({ region: 'eu-west-2' });
const sfnMock = mockClient(sfn);
const operator = staffActor({ id: 'user-operator-test', name: 'Operator (test)' }, 'partnership-team');

describe('resumeFailedCase', () => {
  afterEach(() => sfnMock.reset());

  async function aFailedCase(step = 'DistributePapers') {
    const fakes = fakeService('2026-03-18T09:00:00Z', { sfn });
    const record = await openSampleCase(fakes.cases, {
      changes: {
        status: 'collating',
        failure: { step, error: 'Invented', at: '2026-03-18T08:00:00.000Z' },
      },
    });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:invented', startDate: new Date() });
    return { ...fakes, record };
  }

  it('starts a fresh execution named for the resume, straight to the failed step, and clears the flag', async () => {
    const { service, cases, record } = await aFailedCase();

    const result = await resumeFailedCase(service, {
      caseId: record.caseId,
      actor: operator,
      reason: 'Fixed (test).',
    });

    expect(result).toEqual({ resumedFrom: 'sending the papers to the Rapid Review Group' });
    expect(sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        name: `${record.caseId}-resume-1`,
        input: JSON.stringify({ caseId: record.caseId, resumeFrom: 'WaitForPapersDay' }),
      }),
    ]);
    expect(await cases.getCase(record.caseId)).toMatchObject({ status: 'collating', resumes: 1 });
    expect((await cases.getCase(record.caseId))?.failure).toBeUndefined();
  });

  it('starts the same execution again when the case could not be written the first time', async () => {
    const { service, cases, record } = await aFailedCase();
    cases.staleWritesToSimulate = 1;

    await resumeFailedCase(service, { caseId: record.caseId, actor: operator, reason: 'Fixed (test).' });

    const names = sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names).toEqual([`${record.caseId}-resume-1`, `${record.caseId}-resume-1`]);
    expect(
      (await cases.getCaseFile(record.caseId)).audit.filter((e) => e.action === 'case.resumed'),
    ).toHaveLength(1);
  });

  it('needs a reason, naming the field, and starts nothing without one', async () => {
    const { service, record } = await aFailedCase();

    await expect(
      resumeFailedCase(service, { caseId: record.caseId, actor: operator, reason: '   ' }),
    ).rejects.toMatchObject({ name: 'InvalidInput', fields: [expect.objectContaining({ field: 'reason' })] });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers not found for a case that does not exist', async () => {
    const { service } = await aFailedCase();

    await expect(
      resumeFailedCase(service, {
        caseId: '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de',
        actor: operator,
        reason: 'Fixed (test).',
      }),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('resumes a step it does not know from the start', () => {
    expect(resumePointFor('unknown step')).toBe('PlanTimetable');
    expect(resumePointFor('RequestAgencySummaries')).toBe('PlanTimetable');
    expect(resumePointFor('ExtendDecisionDeadline')).toBe('ScheduleDecisionDeadline');
  });
});
