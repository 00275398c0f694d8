import { deputyChairAddresses, rulesOf } from '../config/partnership-profile.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import {
  type AwaitDecisionResult,
  type awaitDecisionPayload,
  submissionReadyOutput,
} from '../workflow/contracts.ts';
import { decisionDueAt } from '../workflow/decision-deadline.ts';
import { decisionRequestEmail, emailContext } from '../workflow/emails.ts';
import { readinessOf } from '../workflow/readiness.ts';
import { caseUrl, loadCase } from '../workflow/steps.ts';

/**
 * Stores this wait's callback token on the case (whoever makes the submission ready completes
 * it: shared/workflow/readiness.ts), then, on the first wait, asks the chair for the decision by
 * the governing date. Later waits follow an escalation, which does the chasing.
 *
 * A change that made the submission ready while the previous token was being replaced would
 * never reach the workflow (it used the old, timed-out token), so when the submission is already
 * ready the wait is completed here with the new token. The token is never logged.
 */
export async function awaitDecision(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'>,
  payload: z.infer<typeof awaitDecisionPayload>,
): Promise<AwaitDecisionResult> {
  const { caseId, taskToken, attempt } = payload;
  await service.cases.saveDecisionToken(caseId, taskToken, attempt);
  const record = await loadCase(service.cases, caseId);
  const now = service.clock.now();

  if ((await readinessOf(service, record)).ready) {
    try {
      await service.workflow.completeTask(
        taskToken,
        submissionReadyOutput.parse({ readyAt: now.toISOString() }),
      );
    } catch (error) {
      // The task is already closed: a person's change completed it with this same token first.
      if ((error as Error).name !== 'TaskTimedOut') throw error;
    }
    return { outcome: 'already-ready' };
  }
  if (record.decision || attempt > 1) return { outcome: 'waiting' };

  const profile = service.profile;
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
