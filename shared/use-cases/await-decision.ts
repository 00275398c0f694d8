import { deputyChairAddresses, rulesOf } from '../config/partnership-profile.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import {
  type AwaitDecisionResult,
  type awaitDecisionPayload,
  decisionRecordedOutput,
} from '../workflow/contracts.ts';
import { decisionDueAt } from '../workflow/decision-deadline.ts';
import { decisionRequestEmail, emailContext } from '../workflow/emails.ts';
import { caseUrl, loadCase } from '../workflow/steps.ts';

/**
 * Stores this wait's callback token on the case (record-decision completes it), then asks the
 * chair for the decision by this wait's deadline, once per wait.
 *
 * A decision recorded while the previous token was being replaced would never reach the workflow
 * (record-decision used the old, timed-out token), so when the case already has a decision the
 * wait is completed here with the new token. The token is never logged.
 */
export async function awaitDecision(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'>,
  payload: z.infer<typeof awaitDecisionPayload>,
): Promise<AwaitDecisionResult> {
  const { caseId, taskToken, attempt } = payload;
  await service.cases.saveDecisionToken(caseId, taskToken, attempt);
  const record = await loadCase(service.cases, caseId);

  if (record.decision) {
    try {
      await service.workflow.completeTask(
        taskToken,
        decisionRecordedOutput.parse({ decidedAt: record.decision.decidedAt }),
      );
    } catch (error) {
      // The task is already closed: record-decision completed it with this same token first.
      if ((error as Error).name !== 'TaskTimedOut') throw error;
    }
    return { outcome: 'already-decided' };
  }

  const profile = service.profile;
  const now = service.clock.now();
  const message = decisionRequestEmail(emailContext(profile, record), profile.rapidReviewGroup.chair, {
    attempt,
    dueAt: decisionDueAt(record, attempt, now, rulesOf(profile)),
    caseUrl: caseUrl(service.publicBaseUrl, caseId),
  });
  const deputies = deputyChairAddresses(profile);
  await service.mailer.sendOnce(
    `${caseId}:AwaitDecision:${attempt}`,
    deputies.length ? { ...message, cc: [...(message.cc ?? []), ...deputies] } : message,
  );
  return { outcome: 'waiting' };
}
