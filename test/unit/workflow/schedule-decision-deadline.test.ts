import { describe, expect, it } from 'vitest';
import { scheduleDecisionDeadline } from '../../../shared/use-cases/schedule-decision-deadline.ts';
import { fakeService, openSampleCase } from './workflow-fakes.ts';

describe('schedule-decision-deadline', () => {
  it('makes the first wait run to the end of Day 15', async () => {
    const { service, cases, clock } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });
    clock.set('2026-03-19T09:00:10Z');

    const wait = await scheduleDecisionDeadline(service, { caseId: record.caseId, previousAttempt: 0 });

    expect(wait).toEqual({
      attempt: 1,
      dueAt: '2026-03-24T17:00:00Z',
      timeoutSeconds: (Date.parse('2026-03-24T17:00:00Z') - Date.parse('2026-03-19T09:00:10Z')) / 1000,
    });
  });

  it('after an escalation on a Friday, waits to the end of Monday', async () => {
    const { service, cases, clock } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });
    clock.set('2026-03-27T17:00:01Z'); // Friday, GMT

    const wait = await scheduleDecisionDeadline(service, { caseId: record.caseId, previousAttempt: 1 });

    // Monday 30 March, the day after the clocks go forward: 17:00 BST is 16:00 UTC.
    expect(wait.attempt).toBe(2);
    expect(wait.dueAt).toBe('2026-03-30T16:00:00Z');
    expect(wait.timeoutSeconds).toBe(
      (Date.parse('2026-03-30T16:00:00Z') - Date.parse('2026-03-27T17:00:01Z')) / 1000,
    );
  });

  it('after an escalation before Easter, skips Good Friday, the weekend and Easter Monday', async () => {
    const { service, cases, clock } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-13T10:00:00Z' });
    clock.set('2026-04-02T16:00:01Z'); // Thursday 2 April, just after the end of Day 15 (17:00 BST)

    const wait = await scheduleDecisionDeadline(service, { caseId: record.caseId, previousAttempt: 1 });

    expect(wait).toMatchObject({ attempt: 2, dueAt: '2026-04-07T16:00:00Z' }); // Tuesday 7 April, 17:00 BST
  });

  it('carries on the count of waits in a review resumed after a failure, and starts at 1 in one never resumed', async () => {
    const { service, cases, clock } = fakeService();
    const resumed = await openSampleCase(cases, {
      receivedAt: '2026-03-04T10:00:00Z',
      changes: { resumes: 1 },
    });
    const never = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });
    await cases.saveDecisionToken(resumed.caseId, 'task-token-invented', 3);
    await cases.saveDecisionToken(never.caseId, 'task-token-invented-too', 3);
    clock.set('2026-03-27T10:00:00Z');

    const afterResume = await scheduleDecisionDeadline(service, {
      caseId: resumed.caseId,
      previousAttempt: 0,
    });
    const notResumed = await scheduleDecisionDeadline(service, { caseId: never.caseId, previousAttempt: 0 });
    const extended = await scheduleDecisionDeadline(service, { caseId: resumed.caseId, previousAttempt: 3 });

    expect(afterResume.attempt).toBe(3);
    expect(notResumed.attempt).toBe(1);
    expect(extended.attempt).toBe(4);
  });

  it('rounds a part second up and never answers a timeout below 1 second', async () => {
    const { service, cases, clock } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });

    clock.set('2026-03-24T16:59:59.500Z');
    const almost = await scheduleDecisionDeadline(service, { caseId: record.caseId, previousAttempt: 0 });
    clock.set('2026-03-25T08:00:00Z');
    const overdue = await scheduleDecisionDeadline(service, { caseId: record.caseId, previousAttempt: 0 });

    expect(almost.timeoutSeconds).toBe(1);
    expect(overdue).toMatchObject({ attempt: 1, dueAt: '2026-03-24T17:00:00Z', timeoutSeconds: 1 });
  });
});
