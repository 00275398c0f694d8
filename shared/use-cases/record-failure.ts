import { countReviewFailure } from '../metrics.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { RecordFailureResult, recordFailurePayload } from '../workflow/contracts.ts';
import { emailContext, workflowFailureEmail } from '../workflow/emails.ts';
import { caseUrl, loadCase, workflowActor, writeOnce } from '../workflow/steps.ts';
import { stepInWords } from '../workflow/wording.ts';

/** What the case says when the history cannot tell which step failed. */
export const UNKNOWN_STEP = 'unknown step';
const THIS_STATE = 'RecordFailure';

/**
 * The workflow's last step on an unrecovered error: records the failed step and the error's
 * name on the case, marks it failed (with an audit event), and tells the partnership team once.
 * The error's cause is never stored or emailed: it may quote personal data.
 */
export async function recordFailure(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'>,
  payload: z.infer<typeof recordFailurePayload>,
): Promise<RecordFailureResult> {
  const record = await loadCase(service.cases, payload.caseId, { evenIfClosed: true });
  const eventId = `${record.caseId}:RecordFailure`;
  const failure =
    record.status === 'failed' && record.failure
      ? record.failure
      : {
          step: (await service.workflow.failedStep(payload.executionArn, THIS_STATE)) ?? UNKNOWN_STEP,
          error: payload.error.slice(0, 200),
          at: service.clock.now().toISOString(),
        };

  if (record.status !== 'failed') {
    await writeOnce(() =>
      service.cases.updateCase(
        record,
        { status: 'failed', failure, currentStep: THIS_STATE },
        {
          actor: workflowActor,
          at: failure.at,
          action: 'workflow.failed',
          // In words for the case page's audit trail; the step and error stay in details, for the operations page.
          reason: `The service stopped working on the review while ${stepInWords(failure.step)}; the rest must be done by hand`,
          details: { step: failure.step, error: failure.error, previousStatus: record.status },
          eventId,
        },
      ),
    );
    countReviewFailure();
  }
  await service.mailer.sendOnce(
    eventId,
    workflowFailureEmail(emailContext(service.profile, record), {
      ...failure,
      caseUrl: caseUrl(service.publicBaseUrl, record.caseId),
    }),
  );
  return { step: failure.step };
}
