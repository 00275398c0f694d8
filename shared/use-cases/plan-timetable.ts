import { collationStartsAt, milestone } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, PlanTimetableResult } from '../workflow/contracts.ts';
import { loadCase } from '../workflow/steps.ts';

/**
 * The instants the workflow's Wait states wait for, read from the timetable planned when the
 * case was opened (so a retry, or a change of rules later, cannot move them).
 */
export async function planTimetable(
  service: Pick<Service, 'cases'>,
  payload: CaseTaskPayload,
): Promise<PlanTimetableResult> {
  const { timetable } = await loadCase(service.cases, payload.caseId);
  return {
    reminderAt: milestone(timetable, 'remindAgencies').startsAt,
    returnsDueAt: milestone(timetable, 'agencySummariesDue').dueAt,
    collateAt: collationStartsAt(timetable),
    papersAt: milestone(timetable, 'distributePapers').startsAt,
  };
}
