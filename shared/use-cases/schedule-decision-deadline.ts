import { rulesOf } from '../config/partnership-profile.ts';
import type { CaseRecord } from '../schemas/case.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type {
  ScheduleDecisionDeadlineResult,
  scheduleDecisionDeadlinePayload,
} from '../workflow/contracts.ts';
import { decisionDueAt, secondsUntil } from '../workflow/decision-deadline.ts';
import { loadCase } from '../workflow/steps.ts';

/**
 * The wait before this one. A review resumed after a failure (`resumes`) starts its waits at 0,
 * as every execution does: its first wait carries on the count of the waits before the failure
 * instead (the last callback token is stored with its attempt), so the chasing goes on from where
 * it stopped, and no reminder is skipped as one already sent.
 */
async function previousAttemptOf(
  service: Pick<Service, 'cases'>,
  record: CaseRecord,
  previousAttempt: number,
): Promise<number> {
  if (previousAttempt > 0 || !record.resumes) return previousAttempt;
  const token = await service.cases.getDecisionToken(record.caseId);
  return token ? Math.max(0, token.attempt - 1) : 0;
}

/**
 * How long the workflow waits for the chair's decision this time: until the end of Day 15 on the
 * first wait, then until the end of the next working day after each escalation.
 */
export async function scheduleDecisionDeadline(
  service: Pick<Service, 'cases' | 'clock' | 'profile'>,
  payload: z.infer<typeof scheduleDecisionDeadlinePayload>,
): Promise<ScheduleDecisionDeadlineResult> {
  const record = await loadCase(service.cases, payload.caseId);
  const attempt = (await previousAttemptOf(service, record, payload.previousAttempt)) + 1;
  const now = service.clock.now();
  const dueAt = decisionDueAt(record, attempt, now, rulesOf(service.profile));
  return { attempt, dueAt, timeoutSeconds: secondsUntil(dueAt, now) };
}
