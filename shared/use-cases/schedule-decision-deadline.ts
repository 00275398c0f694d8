import { rulesOf } from '../config/partnership-profile.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type {
  ScheduleDecisionDeadlineResult,
  scheduleDecisionDeadlinePayload,
} from '../workflow/contracts.ts';
import { decisionDueAt, secondsUntil } from '../workflow/decision-deadline.ts';
import { loadCase } from '../workflow/steps.ts';

/**
 * How long the workflow waits for the chair's decision this time: until the end of Day 15 on the
 * first wait, then until the end of the next working day after each escalation.
 */
export async function scheduleDecisionDeadline(
  service: Pick<Service, 'cases' | 'clock' | 'profile'>,
  payload: z.infer<typeof scheduleDecisionDeadlinePayload>,
): Promise<ScheduleDecisionDeadlineResult> {
  const record = await loadCase(service.cases, payload.caseId);
  const attempt = payload.previousAttempt + 1;
  const now = service.clock.now();
  const dueAt = decisionDueAt(record, attempt, now, rulesOf(service.profile));
  return { attempt, dueAt, timeoutSeconds: secondsUntil(dueAt, now) };
}
