import { describe, expect, it } from 'vitest';
import { describeWait } from '../../../local/controls.ts';

describe('what the local controls page says waits on the clock', () => {
  const id = '6a1f2c3d-4e5f-4a6b-8c7d-00000000c001';

  it('names a Rapid Review’s wait by its case', () => {
    expect(describeWait(`${id}: WaitForCollationDay`)).toEqual({
      caseId: id,
      what: 'Wait for collation day',
    });
    // The ladder's wait has the same name in both workflows: a case's execution is the case's.
    expect(describeWait(`${id}: WaitForNextRung`)).toEqual({ caseId: id, what: 'Wait for next rung' });
    expect(describeWait(`${id}-resume-2: WaitForNextRung`)).toEqual({
      caseId: id,
      what: 'Wait for next rung',
    });
  });

  it('names a local review’s waits by the review and says in words what each waits for', () => {
    expect(describeWait(`${id}: AwaitCompletion timeout`)).toEqual({
      caseId: '',
      reviewId: id,
      what: 'The final report: the next reminder to the partnership team, or the completion target if it is not ready',
    });
    expect(describeWait(`${id}: WaitForPrePublicationNotice`)).toMatchObject({
      reviewId: id,
      what: 'The notice to the Panel and the Secretary of State before publication',
    });
    expect(describeWait(`${id}-minimum-period: WaitForMinimumPeriodAlert`)).toEqual({
      caseId: '',
      reviewId: id,
      what: 'The alert to the team a month before the minimum period of publication ends',
    });
    // An execution carried on as a new one keeps the review's id.
    expect(describeWait(`${id}-g1: AwaitPublication timeout`)).toMatchObject({ reviewId: id });
    expect(describeWait(`${id}-minimum-period-g2: WaitForMinimumPeriodAlert`)).toMatchObject({
      reviewId: id,
    });
  });

  it('names a request for information’s chasing by the review and the request’s number', () => {
    expect(describeWait(`${id}-request-3: WaitForNextRung`)).toEqual({
      caseId: '',
      reviewId: id,
      what: 'Request for information 3: the next reminder to the agency on the ladder, if it has not answered',
    });
  });

  it('never shows a state’s name for a local review’s wait', () => {
    for (const label of [
      `${id}: AwaitCompletion timeout`,
      `${id}: WaitWhileHeld`,
      `${id}: WaitForPrePublicationNotice`,
      `${id}: AwaitPublication timeout`,
      `${id}-minimum-period: WaitForMinimumPeriodAlert`,
      `${id}: WaitBeforeContinuing`,
      `${id}-request-1: WaitForNextRung`,
    ]) {
      expect(describeWait(label).what, label).not.toMatch(/[a-z][A-Z]|timeout|^Wait|^Await/);
    }
  });
});
