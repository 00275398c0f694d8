import { describe, expect, it } from 'vitest';
import { describeWait } from '../../../local/controls.ts';

describe('what the local controls page says waits on the clock', () => {
  const id = '6a1f2c3d-4e5f-4a6b-8c7d-00000000c001';

  it('names a Rapid Review’s wait by its case', () => {
    expect(describeWait(`${id}: WaitForCollationDay`)).toEqual({
      caseId: id,
      what: 'Wait for collation day',
    });
  });

  it('names a local review’s waits by the review, the minimum period’s execution too', () => {
    expect(describeWait(`${id}: AwaitCompletion timeout`)).toEqual({
      caseId: '',
      reviewId: id,
      what: 'Await completion timeout',
    });
    expect(describeWait(`${id}-minimum-period: WaitForMinimumPeriodAlert`)).toMatchObject({ reviewId: id });
  });
});
