import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/plan-timetable/handler.ts';
import { CaseNotFoundError } from '../../../shared/errors.ts';
import { planTimetable } from '../../../shared/use-cases/plan-timetable.ts';
import { fakeService, openSampleCase } from './workflow-fakes.ts';

describe('plan-timetable', () => {
  it('answers the instants the waits use, from the timetable stored when the case opened', async () => {
    const { service, cases } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });

    const deadlines = await planTimetable(service, { caseId: record.caseId });

    expect(deadlines).toEqual({
      firstRungAt: '2026-03-12T09:00:00Z', // Day 7 starts: the reminder, the ladder's first rung
      collateAt: '2026-03-18T09:00:00Z', // Day 11 starts
      papersAt: '2026-03-19T09:00:00Z', // Day 12 starts
    });
  });

  it('answers a case planned before the ladder its reminder day as the first rung', async () => {
    const { service, cases } = fakeService();
    const record = await openSampleCase(cases, { receivedAt: '2026-03-04T10:00:00Z' });
    const { ladder: _planned, ...before } = record.timetable;
    cases.overwriteCase({ ...record, timetable: before });

    const deadlines = await planTimetable(service, { caseId: record.caseId });

    expect(deadlines.firstRungAt).toBe('2026-03-12T09:00:00Z');
  });

  it('fails with CaseNotFound for a case that does not exist', async () => {
    const { service } = fakeService();

    const planning = planTimetable(service, { caseId: '00000000-0000-4000-8000-000000000000' });

    await expect(planning).rejects.toBeInstanceOf(CaseNotFoundError);
  });

  it('refuses a payload without a valid case id before touching anything', async () => {
    const invoking = handler({ caseId: 'not-a-uuid' }, {} as never);

    await expect(invoking).rejects.toMatchObject({ name: 'InvalidTaskPayload' });
  });
});
