import { collationStartsAt, ladderOf, milestone } from '../schemas/timetable.ts';
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
  const collateAt = collationStartsAt(timetable);
  return {
    // A ladder with no rungs waits for nothing: the first climb finds none due and goes on.
    firstRungAt: ladderOf(timetable)[0]?.at ?? collateAt,
    collateAt,
    papersAt: milestone(timetable, 'distributePapers').startsAt,
  };
}
