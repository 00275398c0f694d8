import { deputyChairAddresses } from '../config/partnership-profile.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import {
  type EscalateMissingDecisionResult,
  type escalateMissingDecisionPayload,
  MAX_DECISION_WAITS,
} from '../workflow/contracts.ts';
import { decisionOverdueEmail, emailContext } from '../workflow/emails.ts';
import { caseUrl, loadCase, workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * A wait for the decision ran out: tells the chair, copied to the partnership team, once per
 * wait, and records the escalation on the case.
 */
export async function escalateMissingDecision(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: z.infer<typeof escalateMissingDecisionPayload>,
): Promise<EscalateMissingDecisionResult> {
  const { caseId, attempt } = payload;
  const record = await loadCase(service.cases, caseId);
  // The next wait's await-decision sees the decision and completes at once.
  if (record.decision) return { outcome: 'decided' };

  const profile = service.profile;
  const step = `${caseId}:EscalateMissingDecision:${attempt}`;
  const lastAttempt = attempt >= MAX_DECISION_WAITS;
  const message = decisionOverdueEmail(emailContext(profile, record), profile.rapidReviewGroup.chair, {
    attempt,
    lastAttempt,
    caseUrl: caseUrl(service.publicBaseUrl, caseId),
  });
  const deputies = deputyChairAddresses(profile);
  await service.mailer.sendOnce(
    step,
    deputies.length ? { ...message, cc: [...(message.cc ?? []), ...deputies] } : message,
  );
  await writeOnce(() =>
    service.cases.updateCase(
      record,
      { currentStep: 'EscalateMissingDecision' },
      {
        actor: workflowActor,
        at: service.clock.now().toISOString(),
        action: 'decision.escalated',
        reason: `No decision recorded by the deadline of wait ${attempt} of ${MAX_DECISION_WAITS}; chair and partnership team told`,
        details: { attempt, lastAttempt },
        eventId: step,
      },
    ),
  );
  return { outcome: 'escalated' };
}
